using Payments.Providers.Stripe;

namespace Payments.Providers.Tests.Stripe;

public class StripeRequestsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    // Stripe accepts expires_at 30 minutes to 24 hours ahead; we keep a minute's margin on each side.
    [Theory]
    [InlineData(5, 31)]                 // too soon: the shortest Stripe takes, plus the margin
    [InlineData(30, 31)]                // exactly Stripe's minimum would arrive as 29:59
    [InlineData(31, 31)]
    [InlineData(120, 120)]              // inside the window: unchanged
    [InlineData(24 * 60 - 1, 24 * 60 - 1)]
    [InlineData(24 * 60, 24 * 60 - 1)]  // exactly Stripe's maximum would be too late by the time it arrives
    [InlineData(48 * 60, 24 * 60 - 1)]  // too late: 23 h 59 min
    public void Checkout_expiry_is_kept_inside_Stripes_window_with_a_minutes_margin(int askedMinutes, int sentMinutes) =>
        Assert.Equal(Now.AddMinutes(sentMinutes), StripeRequests.ClampExpiry(Now.AddMinutes(askedMinutes), Now));
}
