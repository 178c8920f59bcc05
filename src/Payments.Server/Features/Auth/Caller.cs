using System.Security.Claims;

namespace Payments.Server.Features.Auth;

public enum CallerKind { Guest, User, ApiKey }

/// <summary>
/// Who is calling, read once from the authenticated principal: people come with a JWT the host
/// application signed (<c>sub</c>, <c>role</c> user|admin); servers come with an API key
/// (role admin|service). Everything that asks "who" (ownership, audit, rate-limit buckets,
/// idempotency scopes) asks this.
/// </summary>
public sealed record Caller(CallerKind Kind, string? Id, string Role)
{
    /// <summary>The vendor a <c>vendor</c> caller acts for (its <c>vendor_id</c> claim, or its key's vendor); null for everyone else.</summary>
    public string? VendorId { get; init; }

    public const string AdminRole = "admin";
    public const string UserRole = "user";
    public const string ServiceRole = "service";
    public const string VendorRole = "vendor";
    public const string VendorIdClaim = "vendor_id";
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";
    public const string KindClaim = "auth_kind";

    public static readonly Caller Guest = new(CallerKind.Guest, null, "guest");

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return Guest;
        var id = user.FindFirst(SubjectClaim)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var role = user.FindFirst(RoleClaim)?.Value ?? UserRole;
        // A vendor is a vendor only with the vendor it acts for (JwtRules refuses a vendor token without one).
        var vendorId = role == VendorRole ? user.FindFirst(VendorIdClaim)?.Value : null;
        return IsApiKey(user)
            ? new Caller(CallerKind.ApiKey, id, role) { VendorId = vendorId }
            : new Caller(CallerKind.User, id, role switch { AdminRole => AdminRole, VendorRole => VendorRole, _ => UserRole }) { VendorId = vendorId };
    }

    /// <summary>
    /// Which scheme vouched for the caller decides the kind, never a claim a token could carry: a JWT
    /// saying auth_kind=api_key, role=service is still a person. The admin session's cookie was written
    /// by this service, so its kind claim is trusted.
    /// </summary>
    private static bool IsApiKey(ClaimsPrincipal user) => user.Identity?.AuthenticationType switch
    {
        ApiKeyAuthentication.SchemeName => true,
        AdminSession.Scheme => user.FindFirst(KindClaim)?.Value == "api_key",
        _ => false,
    };

    public bool IsAdmin => Role == AdminRole;

    /// <summary>A vendor's person or key, bound to <see cref="VendorId"/>.</summary>
    public bool IsVendor => Role == VendorRole && VendorId is not null;

    /// <summary>The host application's trusted backend: an API key with role service (never a person's token).</summary>
    public bool IsService => Kind == CallerKind.ApiKey && Role == ServiceRole;

    /// <summary>Admins and the host application's service keys see every user's payments.</summary>
    public bool SeesAll => Role is AdminRole or ServiceRole;

    /// <summary>The owner a new payment gets: a signed-in person; never a key or a guest.</summary>
    public string? OwnerId => Kind == CallerKind.User ? Id : null;

    /// <summary>As written in the audit log: "guest", "user:42", "admin:7", "apikey:ak_…".</summary>
    public string Audit => Kind switch
    {
        CallerKind.User => $"{(IsAdmin ? "admin" : "user")}:{Id}",
        CallerKind.ApiKey => $"apikey:{Id}",
        _ => "guest",
    };

    /// <summary>Bucket for rate limits and scope for idempotency keys; null for guests (they use the client IP).</summary>
    public string? Partition => Kind switch
    {
        CallerKind.User => $"user:{Id}",
        CallerKind.ApiKey => $"key:{Id}",
        _ => null,
    };
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext http) => Auth.Caller.From(http.User);
}
