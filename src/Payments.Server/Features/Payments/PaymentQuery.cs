using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Payments;

/// <summary>Which payments a list shows: status, provider, created from (inclusive) / to (exclusive), and the caller's reference.</summary>
public sealed record PaymentFilter(
    string? Status = null, string? Provider = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Reference = null);

/// <summary>
/// The one payments query behind <c>GET /api/v1/payments</c> and the admin dashboard's table:
/// a user sees their own payments, admins and service keys all; newest first; paged.
/// </summary>
public static class PaymentQuery
{
    public static async Task<PageOf<Payment>> PageAsync(
        PaymentsDb db, Caller caller, PaymentFilter filter, int page, int size, CancellationToken ct)
    {
        var query = db.Payments.AsNoTracking();
        if (!caller.SeesAll)
        {
            // Never filter by a null owner: that would be "every guest's payment".
            if (caller.Id is null) throw new PaymentsException(ErrorKind.Unauthorized, "Sign in to list your payments.");
            query = query.Where(p => p.OwnerId == caller.Id);
        }
        if (filter.Status is not null)
        {
            if (!PaymentStatusNames.TryParse(filter.Status, out var wanted))
                throw PaymentsException.Validation(
                    $"Unknown status '{filter.Status}'. Use one of: {string.Join(", ", Enum.GetValues<PaymentStatus>().Select(s => s.ToWire()))}.");
            query = query.Where(p => p.Status == wanted);
        }
        if (filter.Provider is not null) query = query.Where(p => p.Provider == filter.Provider);
        if (filter.Reference is not null) query = query.Where(p => p.Reference == filter.Reference);
        if (filter.From is { } f) query = query.Where(p => p.CreatedAt >= f.ToUniversalTime());
        if (filter.To is { } t) query = query.Where(p => p.CreatedAt < t.ToUniversalTime());

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new PageOf<Payment>(items, page, size, total);
    }
}
