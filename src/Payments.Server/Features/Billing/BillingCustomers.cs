using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Billing;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Billing.Vies;

namespace Payments.Server.Features.Billing;

/// <summary>
/// A user's billing information (issue 13 item 2): saved, its VAT number checked with VIES, its tax treatment
/// decided (<see cref="TaxRules"/>), and the customer told to every billing provider. All of it for one user runs
/// under that user's lock (<see cref="BillingLocks"/>), on any node, so a VIES answer or a provider push always
/// concerns the version that is stored. Providers that cannot be reached, and VIES when it cannot answer, are
/// retried by <see cref="BillingWorker"/>; the stored information is the truth either way.
/// </summary>
public sealed class BillingCustomers(
    PaymentsDb db, BillingLocks locks, ViesClient vies, CustomerSync sync, BillingOptions options, TimeProvider clock, ILogger<BillingCustomers> log)
{
    public static string LockKey(string userId) => "billing-customer:" + userId;

    public Task<BillingCustomerRow?> FindAsync(string userId, CancellationToken ct) =>
        db.BillingCustomers.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId, ct);

    /// <summary>Saves the information (a new VAT number is checked at once), then tells the providers; answers the row as stored.</summary>
    public async Task<BillingCustomerRow> SaveAsync(string userId, BillingInfoInput input, CancellationToken ct)
    {
        await using var turn = await locks.AcquireAsync(LockKey(userId), ct);
        var now = Now();
        var row = await db.BillingCustomers.FirstOrDefaultAsync(c => c.UserId == userId, ct);
        var vatId = input.Vat?.ToString();
        if (row is null)
        {
            row = new BillingCustomerRow
            {
                Id = Ids.New("cust", now), UserId = userId, Name = input.Name, Email = input.Email, AddressLine1 = input.Address.Line1,
                AddressCity = input.Address.City, AddressCountry = input.Address.Country, VatStatus = Wire(VatStatus.None),
                TaxExempt = Wire(TaxExemption.None), CreatedAt = now,
            };
            db.BillingCustomers.Add(row);
        }

        if (db.Entry(row).State == EntityState.Added || !Same(row, input, vatId))
        {
            (row.Name, row.Email) = (input.Name, input.Email);
            (row.AddressLine1, row.AddressLine2, row.AddressCity, row.AddressPostalCode, row.AddressCountry) =
                (input.Address.Line1, input.Address.Line2, input.Address.City, input.Address.PostalCode, input.Address.Country);
            if (row.VatId != vatId || db.Entry(row).State == EntityState.Added)
            {
                row.VatId = vatId;
                row.VatStatus = Wire(vatId is null ? VatStatus.None : VatStatus.Pending);
                (row.VatCheckedAt, row.VatConsultationNumber, row.VatError, row.VatFailures) = (null, null, null, 0);
                row.VatNextCheckAt = vatId is null ? null : now;
            }
            row.TaxExempt = Wire(Decide(row).Exemption);
            (row.UpdatedAt, row.SyncDueAt, row.SyncFailures) = (now, now, 0);
            await db.SaveWriteAsync(ct);
        }
        else if (StatusOf(row) == VatStatus.Invalid && vatId is not null)
        {
            // The same number VIES called invalid, sent again, is asked about again: it may have been registered since.
            row.VatNextCheckAt = now;
        }
        else if (row.SyncDueAt is null)
        {
            return row; // nothing new: no write, no VIES request, no provider call
        }

        if (row.VatNextCheckAt <= now) await CheckVatAsync(row, ct);
        if (row.SyncDueAt is not null) await sync.PushAsync(row, ct);
        return row;
    }

    /// <summary>The worker's turn for one user: a VIES check that is due, then a provider push that is due.</summary>
    public async Task CatchUpAsync(string userId, CancellationToken ct)
    {
        await using var turn = await locks.AcquireAsync(LockKey(userId), ct);
        var row = await db.BillingCustomers.FirstOrDefaultAsync(c => c.UserId == userId, ct);
        if (row is null) return;
        if (row.VatNextCheckAt <= Now()) await CheckVatAsync(row, ct);
        if (row.SyncDueAt <= Now()) await sync.PushAsync(row, ct); // also when the check just made it due
    }

    /// <summary>What this customer is charged, by the tax rule.</summary>
    public TaxDecision Decide(BillingCustomerRow row)
    {
        var vat = VatNumber.TryParse(row.VatId, null, out var parsed, out _) ? parsed : null;
        return TaxRules.Decide(row.AddressCountry, vat, StatusOf(row), options.MerchantCountry, options.Rates);
    }

    /// <summary>
    /// Asks VIES about the stored number. Valid and invalid are final (with the consultation number VIES gave);
    /// anything else leaves the number unverified and schedules the next question (<see cref="ViesRetry"/>).
    /// A change of status can change the tax treatment and what providers are told, so it marks the push due.
    /// </summary>
    private async Task CheckVatAsync(BillingCustomerRow row, CancellationToken ct)
    {
        if (!VatNumber.TryParse(row.VatId, null, out var vat, out _))
        {
            (row.VatStatus, row.VatNextCheckAt) = (Wire(VatStatus.Invalid), null); // cannot happen for a number we stored
            await db.SaveWriteAsync(ct);
            return;
        }
        var answer = await vies.CheckAsync(vat, ct);
        var now = Now();
        var before = (row.VatStatus, row.TaxExempt);
        if (answer.Verdict == ViesVerdict.Unavailable)
        {
            row.VatStatus = Wire(VatStatus.Unverified);
            row.VatError = answer.Error;
            row.VatFailures++;
            row.VatNextCheckAt = now + ViesRetry.After(row.VatFailures, options.ViesRetryInitial, options.ViesRetryMax);
            log.LogInformation("VIES could not check {Vat} ({Error}); asking again at {Next}", vat, answer.Error, row.VatNextCheckAt);
        }
        else
        {
            row.VatStatus = Wire(answer.Verdict == ViesVerdict.Valid ? VatStatus.Valid : VatStatus.Invalid);
            (row.VatCheckedAt, row.VatConsultationNumber, row.VatError, row.VatFailures, row.VatNextCheckAt) =
                (now, answer.ConsultationNumber, null, 0, null);
        }
        row.TaxExempt = Wire(Decide(row).Exemption);
        if (before != (row.VatStatus, row.TaxExempt)) (row.UpdatedAt, row.SyncDueAt, row.SyncFailures) = (now, now, 0);
        await db.SaveWriteAsync(ct);
    }

    /// <summary>Now, to the microsecond: what PostgreSQL keeps, so an answer given before a read-back equals the read-back.</summary>
    private DateTimeOffset Now() => Microseconds(clock.GetUtcNow());

    internal static DateTimeOffset Microseconds(DateTimeOffset at) => at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerMicrosecond));

    private static bool Same(BillingCustomerRow row, BillingInfoInput input, string? vatId) =>
        (row.Name, row.Email, row.AddressLine1, row.AddressLine2, row.AddressCity, row.AddressPostalCode, row.AddressCountry, row.VatId) ==
        (input.Name, input.Email, input.Address.Line1, input.Address.Line2, input.Address.City, input.Address.PostalCode, input.Address.Country, vatId);

    public static VatStatus StatusOf(BillingCustomerRow row) => Enum.Parse<VatStatus>(row.VatStatus, ignoreCase: true);

    public static TaxExemption ExemptionOf(BillingCustomerRow row) => Enum.Parse<TaxExemption>(row.TaxExempt, ignoreCase: true);

    public static string Wire(VatStatus status) => status.ToString().ToLowerInvariant();

    public static string Wire(TaxExemption exemption) => exemption.ToString().ToLowerInvariant();
}
