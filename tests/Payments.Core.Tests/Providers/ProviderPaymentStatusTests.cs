using Payments.Core.Providers;

namespace Payments.Core.Tests.Providers;

public sealed class ProviderPaymentStatusTests
{
    [Theory]
    [InlineData(ProviderPaymentStatus.Succeeded, ProviderEventKind.PaymentSucceeded)]
    [InlineData(ProviderPaymentStatus.Pending, ProviderEventKind.PaymentPending)]
    [InlineData(ProviderPaymentStatus.Declined, ProviderEventKind.PaymentFailed)]
    [InlineData(ProviderPaymentStatus.Canceled, ProviderEventKind.PaymentCanceled)]
    [InlineData(ProviderPaymentStatus.Expired, ProviderEventKind.PaymentExpired)]
    [InlineData(ProviderPaymentStatus.Unknown, ProviderEventKind.Informational)] // "does not say" changes nothing
    public void A_status_the_provider_reports_is_the_event_it_amounts_to(ProviderPaymentStatus status, ProviderEventKind expected) =>
        Assert.Equal(expected, status.AsEventKind());

    [Fact]
    public void Every_status_is_mapped_above() =>
        Assert.Equal(6, Enum.GetValues<ProviderPaymentStatus>().Length); // a new status needs a row in the theory and a decision
}
