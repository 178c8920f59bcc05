using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Idempotency;
using Vendors = Payments.Server.Features.Vendors;

namespace Payments.Server.Features.Auth;

/// <summary>
/// <c>/api/v1/admin/api-keys</c>: admins create (the secret is shown once), list and revoke
/// server-to-server keys. Roles: <c>admin</c>, or <c>service</c> for the host application.
/// </summary>
public static class ApiKeys
{
    /// <param name="VendorId">For role <c>vendor</c>: the one vendor the key acts for.</param>
    public sealed record CreateRequest(string? Name, string? Role = null, string? VendorId = null);
    public sealed record Created(string Id, string Name, string Role, string Key, DateTimeOffset CreatedAt, string? VendorId = null);
    public sealed record View(string Id, string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? VendorId = null);

    public static void Map(IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/admin/api-keys").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        keys.MapPost("", CreateAsync).WithSummary("Create an API key; the secret is in this response only (and its Idempotency-Key replays).")
            .Idempotent(protectsResponse: true)
            .Produces<Created>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        keys.MapGet("", async (PaymentsDb db, CancellationToken ct) =>
                (await db.ApiKeys.AsNoTracking().ToListAsync(ct))
                .OrderBy(k => k.CreatedAt)
                .Select(k => new View(k.Id, k.Name, k.Role, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.VendorId)))
            .WithSummary("List API keys (never their secrets).");
        keys.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke an API key; it stops working at once.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(CreateRequest? request, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        var (key, secret) = await CreateKeyAsync(db, clock, request?.Name, request?.Role, http.Caller().Audit, ct, request?.VendorId);
        return Results.Created($"/api/v1/admin/api-keys/{key.Id}", new Created(key.Id, key.Name, key.Role, secret, key.CreatedAt, key.VendorId));
    }

    /// <summary>Creates a key (also used by the operator CLI); the secret is returned once and stored only as a hash.</summary>
    public static async Task<(ApiKey Key, string Secret)> CreateKeyAsync(
        PaymentsDb db, TimeProvider clock, string? name, string? role, string actor, CancellationToken ct, string? vendorId = null)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
            throw PaymentsException.Validation("'name' is required (at most 100 characters), e.g. \"shop backend\".");
        role ??= Caller.ServiceRole;
        if (role is not (Caller.ServiceRole or Caller.AdminRole or Caller.VendorRole))
            throw PaymentsException.Validation("'role' must be 'service' (the host application), 'admin' or 'vendor' (with 'vendor_id').");
        vendorId = await Vendors.VendorKeys.CheckAsync(db, role, vendorId, ct);

        var now = clock.GetUtcNow();
        var secret = "psk_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = Ids.New("ak", now), Name = name, Role = role, SecretHash = ApiKeyAuthentication.Hash(secret),
            CreatedAt = now, CreatedBy = actor, VendorId = vendorId,
        };
        db.ApiKeys.Add(key);
        db.Add(now, "apikey.create", actor, null, new { key_id = key.Id, name, role, vendor_id = vendorId });
        await db.SaveWriteAsync(ct);
        return (key, secret);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        await RevokeKeyAsync(db, clock, id, http.Caller().Audit, ct);
        return Results.NoContent();
    }

    /// <summary>Revokes a key at once (idempotent); 404 when there is no such key.</summary>
    public static async Task RevokeKeyAsync(PaymentsDb db, TimeProvider clock, string id, string actor, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct) ?? throw PaymentsException.NotFound($"No API key '{id}'.");
        if (key.RevokedAt is not null) return;
        key.RevokedAt = clock.GetUtcNow();
        db.Add(key.RevokedAt.Value, "apikey.revoke", actor, null, new { key_id = key.Id, name = key.Name });
        await db.SaveWriteAsync(ct);
    }

    /// <summary>Makes sure ADMIN_API_KEY works as an admin key (start-up; several nodes may race, the unique index decides).</summary>
    public static async Task EnsureAdminKeyAsync(IServiceProvider services, CancellationToken ct)
    {
        var secret = services.GetRequiredService<AuthOptions>().AdminApiKey;
        if (secret is null) return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var log = scope.ServiceProvider.GetRequiredService<ILogger<ApiKey>>();
        var hash = ApiKeyAuthentication.Hash(secret);
        var existing = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.SecretHash == hash, ct);
        if (existing is not null)
        {
            if (existing.RevokedAt is not null)
                log.LogWarning("ADMIN_API_KEY matches key {KeyId}, which was revoked; it stays revoked. Set a new ADMIN_API_KEY.", existing.Id);
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        db.ApiKeys.Add(new ApiKey
        {
            Id = Ids.New("ak", now), Name = "ADMIN_API_KEY", Role = Caller.AdminRole, SecretHash = hash, CreatedAt = now, CreatedBy = "system",
        });
        db.Add(now, "apikey.create", "system", null, new { name = "ADMIN_API_KEY", role = Caller.AdminRole });
        try
        {
            await db.SaveWriteAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ix_api_keys_secret_hash", "api_keys.secret_hash"))
        {
            // Another node created it at the same moment.
        }
    }

}
