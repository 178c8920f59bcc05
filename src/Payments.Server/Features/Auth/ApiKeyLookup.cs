using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Auth;

/// <summary>
/// The one rule for "is this API key usable": it exists and is not revoked. The Bearer handler, the
/// dashboard's sign-in and the dashboard session's revocation check all ask here, so they cannot
/// drift apart. Roles are the caller's business (the API accepts any role; the dashboard only admin).
/// </summary>
public static class ApiKeyLookup
{
    /// <summary>The key whose secret this is (looked up by its SHA-256, a unique index), or why it cannot be used.</summary>
    public static Task<(ApiKey? Key, string? Refusal)> FindActiveKeyAsync(PaymentsDb db, string secret, CancellationToken ct)
    {
        var hash = ApiKeyAuthentication.Hash(secret);
        return FindActiveKeyAsync(db, k => k.SecretHash == hash, ct);
    }

    /// <summary>The key with this id (as a dashboard session remembers it), or why it cannot be used.</summary>
    public static Task<(ApiKey? Key, string? Refusal)> FindActiveKeyByIdAsync(PaymentsDb db, string id, CancellationToken ct) =>
        FindActiveKeyAsync(db, k => k.Id == id, ct);

    private static async Task<(ApiKey? Key, string? Refusal)> FindActiveKeyAsync(PaymentsDb db, Expression<Func<ApiKey, bool>> which, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(which, ct);
        if (key is null) return (null, "Unknown API key.");
        return key.RevokedAt is null ? (key, null) : (null, "This API key has been revoked.");
    }
}
