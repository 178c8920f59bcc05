using Payments.Core.Providers;
using Payments.Core.Payments;
using Payments.Providers;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments.Refunds;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Asks a payment's provider what it knows and applies the answer through the settlement rules:
/// the success (exact amount), then refunds so far, then settles refunds whose provider answer
/// was lost. Verify does this on request; the reconciliation worker does it for payments that
/// stayed open too long.
/// </summary>
public sealed class ProviderRefresh(ProviderRegistry providers, PaymentSettler settler, RefundReconciler refunds)
{
    public async Task<(Payment Payment, SettlementDecision? Reported)> RefreshAsync(Payment payment, string actor, CancellationToken ct)
    {
        if (payment.ProviderPaymentId is null) return (payment, null); // never reached the provider: nothing to ask
        var answer = await providers.Get<ICheckoutProvider>(payment.Provider).GetPaymentAsync(payment.ProviderPaymentId, ct);
        var (updated, reported) = await settler.ApplyObservedAsync(
            payment.Id, PaymentNews.ObservationsOf(answer), answer.ProviderReference, actor, ct);
        await refunds.ReconcileAsync(updated.Id, ct);
        return (updated, reported);
    }
}
