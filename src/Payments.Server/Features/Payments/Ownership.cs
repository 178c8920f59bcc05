using Payments.Core.Errors;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Who may see or act on a payment. A signed-in user's payment is theirs alone; someone else's id
/// answers 404 (not 403), so ids do not reveal which payments exist. Admins and the host
/// application's service keys see everything.
/// </summary>
public static class Ownership
{
    /// <summary>
    /// For actions open to guests (verify, capture): a guest's payment is reachable by its
    /// unguessable id, which is what the guest holds; an owned payment only by its owner.
    /// </summary>
    public static void EnsureMayAct(Caller caller, Payment payment)
    {
        if (payment.OwnerId is null || caller.SeesAll) return;
        if (caller.Kind != CallerKind.User || caller.Id != payment.OwnerId)
            throw PaymentsException.NotFound($"No payment '{payment.Id}'.");
    }

    /// <summary>For reads that require sign-in (payments, receipts): the owner, an admin or a service key.</summary>
    public static void EnsureMayRead(Caller caller, Payment payment)
    {
        if (caller.SeesAll) return;
        if (caller.Kind != CallerKind.User || payment.OwnerId is null || caller.Id != payment.OwnerId)
            throw PaymentsException.NotFound($"No payment '{payment.Id}'.");
    }
}
