using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Marketplace;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Providers.Common;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Vendors;

/// <summary>Whether and how often the payout worker runs (<c>PAYOUTS_ENABLED</c>, <c>PAYOUTS_INTERVAL_SECONDS</c>).</summary>
public sealed record PayoutOptions(bool Enabled, TimeSpan Interval)
{
    public static PayoutOptions From(IConfiguration configuration) => new(
        configuration.Flag("PAYOUTS_ENABLED", true), configuration.Seconds("PAYOUTS_INTERVAL_SECONDS", 3_600, 1, 86_400));
}

/// <summary>
/// Pays out vendors that have a minimum payout (docs/decisions.md "Minimum payouts are ours"): each round, for each
/// such vendor whose schedule has a due period (<see cref="PayoutPeriods.Due"/>) without a payout yet, it pays out
/// the vendor's available balance in its currency when that reaches the minimum, and nothing below it. The available
/// balance is our ledger's less earlier payouts, capped by what the provider says the account holds (money from a
/// charge becomes available there days later). The payout row is written before the provider is asked, keyed by
/// (vendor, currency, period), and its id is the provider's idempotency key: two nodes, or a round retried after a
/// crash, pay a period once.
/// </summary>
public sealed class PayoutWorker(IServiceScopeFactory scopes, PayoutOptions options, TimeProvider clock, ILogger<PayoutWorker> log)
    : Hosting.PeriodicWorker(clock, log)
{
    public const string Actor = "system:payouts";

    protected override bool Enabled => options.Enabled;
    protected override TimeSpan Interval => options.Interval;
    protected override string Name => "Payout worker";
    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>One round; returns the payouts asked of providers.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var providers = scope.ServiceProvider.GetRequiredService<ProviderRegistry>();
        var vendors = await db.Vendors.AsNoTracking().Where(v => v.MinimumPayoutMinor > 0 && v.AccountId != null).ToListAsync(ct);
        var asked = 0;
        foreach (var vendor in vendors)
        {
            try
            {
                asked += await PayOutAsync(db, providers, vendor, ct) ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One vendor's provider trouble does not hold up the others; its pending row is retried next round.
                Log.LogWarning(e, "Payout of {VendorId} failed; retried next round", vendor.Id);
            }
            db.ChangeTracker.Clear();
        }
        return asked;
    }

    private async Task<bool> PayOutAsync(PaymentsDb db, ProviderRegistry providers, Vendor vendor, CancellationToken ct)
    {
        var schedule = Payouts.Parse(new VendorConfig.PayoutRequest(vendor.PayoutInterval, vendor.PayoutWeeklyAnchor, vendor.PayoutMonthlyAnchor));
        if (PayoutPeriods.Due(schedule, DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime)) is not { } due) return false;
        var period = due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var provider = providers.Get<IPayoutsProvider>(vendor.Provider);
        var currency = Currency.Of(vendor.Currency); // the minimum is in the vendor's currency; that balance is what is paid out

        var payout = await db.VendorPayouts.FirstOrDefaultAsync(p => p.VendorId == vendor.Id && p.Currency == currency.Code && p.Period == period, ct);
        if (payout is not null && (payout.Status != "pending" || payout.ProviderPayoutId is not null)) return false; // this period is paid
        if (payout is null)
        {
            var available = (await VendorPayouts.AvailableAsync(db, vendor.Id, ct)).GetValueOrDefault(currency.Code);
            if (await provider.AvailableBalanceAsync(vendor.AccountId!, currency, ct) is { } atProvider) available = Math.Min(available, atProvider.Minor);
            if (available < vendor.MinimumPayoutMinor || available <= 0) return false;
            payout = await ClaimAsync(db, vendor, currency, period, available, ct);
            if (payout is null) return false; // another node claimed this period
        }

        var answer = await provider.CreatePayoutAsync(new ProviderPayoutRequest(vendor.AccountId!, new Money(payout.AmountMinor, currency), payout.Id,
            $"Payout {period}"), ct);
        payout.Status = VendorPayouts.Wire(answer.Status);
        payout.ProviderPayoutId = answer.PayoutId;
        payout.FailureCode = answer.FailureCode;
        payout.UpdatedAt = Clock.GetUtcNow();
        db.Add(payout.UpdatedAt, "vendor.payout_" + payout.Status, Actor, null,
            new { vendor_id = vendor.Id, payout_id = payout.Id, provider_payout_id = answer.PayoutId, amount = payout.AmountMinor, currency = currency.Code });
        await db.SaveWriteAsync(ct);
        return true;
    }

    /// <summary>The period's payout row, pending; null when another node wrote it first.</summary>
    private async Task<VendorPayout?> ClaimAsync(PaymentsDb db, Vendor vendor, Currency currency, string period, long amount, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var payout = new VendorPayout
        {
            Id = Ids.New("po", now), VendorId = vendor.Id, Currency = currency.Code, Period = period, Provider = vendor.Provider!,
            AccountId = vendor.AccountId!, AmountMinor = amount, Status = "pending", CreatedAt = now, UpdatedAt = now,
        };
        db.VendorPayouts.Add(payout);
        db.Add(now, "vendor.payout_started", Actor, null, new { vendor_id = vendor.Id, payout_id = payout.Id, amount, currency = currency.Code, period });
        try
        {
            await db.SaveWriteAsync(ct);
            return payout;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ix_vendor_payouts_vendor_id_currency_period",
                                              "vendor_payouts.vendor_id", "vendor_payouts.currency", "vendor_payouts.period"))
        {
            return null;
        }
    }
}
