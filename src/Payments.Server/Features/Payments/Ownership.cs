using System.Security.Claims;
using Payments.Core.Errors;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Who may see or act on a payment. A signed-in user's payment is theirs alone; someone else's
/// id answers 404 (not 403), so ids do not leak which payments exist. Guests' payments are
/// reachable by their unguessable id, which is what the guest holds.
/// </summary>
public static class Ownership
{
    public static bool IsAdmin(ClaimsPrincipal user) =>
        user.IsInRole("admin") || user.FindFirst("auth_kind")?.Value == "api_key";

    public static void EnsureMayAct(ClaimsPrincipal user, Payment payment)
    {
        if (payment.OwnerId is null || IsAdmin(user)) return;
        if (Actor.UserId(user) != payment.OwnerId)
            throw PaymentsException.NotFound($"No payment '{payment.Id}'.");
    }
}
