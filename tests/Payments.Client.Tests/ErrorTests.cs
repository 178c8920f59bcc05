using System.Net;
using Payments.Client.Tests.Support;

namespace Payments.Client.Tests;

/// <summary>Every refusal of the real service arrives as the typed exception of its problem code.</summary>
public sealed class ErrorTests(ClientServer server)
{
    private static string NewReference() => "err-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task An_unknown_payment_is_a_typed_404()
    {
        var e = await Assert.ThrowsAsync<PaymentsNotFoundException>(() => server.Admin.GetPaymentAsync("pay_does_not_exist"));
        Assert.Equal((HttpStatusCode.NotFound, PaymentsErrorCode.NotFound, "not_found"), (e.StatusCode, e.Code, e.Problem.CodeName));
        Assert.Contains("pay_does_not_exist", e.Detail);
        Assert.Equal("/api/v1/payments/pay_does_not_exist", e.Problem.Instance);
    }

    [Fact]
    public async Task An_unknown_plan_is_a_typed_422()
    {
        var e = await Assert.ThrowsAsync<PaymentsValidationException>(() => server.Guest.CreateIntentAsync(CreateIntentRequest.ForPlan("no-such-plan")));
        Assert.Equal((422, PaymentsErrorCode.Validation), ((int)e.StatusCode, e.Code));
    }

    [Fact]
    public async Task A_signed_in_user_naming_an_amount_of_their_own_is_a_typed_403()
    {
        var user = server.User("user-403");
        var e = await Assert.ThrowsAsync<PaymentsForbiddenException>(
            () => user.CreateIntentAsync(CreateIntentRequest.ForAmount(100, "EUR", "Mine", NewReference())));
        Assert.Equal(PaymentsErrorCode.Forbidden, e.Code);
        // The same token is good for what a user may do: the bearer source is asked on every request.
        Assert.Equal("user-403", (await user.GetCreditBalanceAsync()).UserId);
    }

    [Fact]
    public async Task A_revoked_key_is_a_typed_401_and_a_service_key_at_an_admin_route_a_typed_403()
    {
        var key = await server.Admin.CreateApiKeyAsync("soon revoked", "service");
        var client = server.Client(key.Key);
        await Assert.ThrowsAsync<PaymentsForbiddenException>(() => client.ListApiKeysAsync());

        await server.Admin.RevokeApiKeyAsync(key.Id);
        var e = await Assert.ThrowsAsync<PaymentsUnauthorizedException>(() => client.ListPaymentsAsync());
        Assert.Equal(PaymentsErrorCode.Unauthorized, e.Code);
        Assert.Contains(await server.Admin.ListApiKeysAsync(), k => k.Id == key.Id && k.RevokedAt is not null);
    }

    [Fact]
    public async Task Refunding_more_than_remains_is_a_typed_409()
    {
        var service = await server.ServiceAsync();
        var intent = await service.CreateIntentAsync(CreateIntentRequest.ForAmount(1000, "EUR", "Refund me", NewReference()));
        await server.PayAsync(intent.ProviderPaymentId);
        await server.Admin.RefundAsync(intent.PaymentId, 600);

        var e = await Assert.ThrowsAsync<PaymentsConflictException>(() => server.Admin.RefundAsync(intent.PaymentId, 500));
        Assert.Equal(409, (int)e.StatusCode);
        Assert.Equal(PaymentStatuses.PartiallyRefunded, (await service.GetPaymentAsync(intent.PaymentId)).Payment.Status);
        // A service key may not refund at all.
        await Assert.ThrowsAsync<PaymentsForbiddenException>(() => service.RefundAsync(intent.PaymentId, 1));
    }

    [Fact]
    public async Task Too_many_requests_is_a_typed_429_with_its_retry_after()
    {
        // A key of its own: the limit is per caller, and admin keys get the route's limit.
        var admin = server.Client((await server.Admin.CreateApiKeyAsync("rate limited", "admin")).Key);
        for (var i = 0; i < ClientServer.CapturePerMinute; i++)
            await Assert.ThrowsAsync<PaymentsNotFoundException>(() => admin.CaptureAsync("dummy", "pay_nothing")); // the dummy captures nothing

        var e = await Assert.ThrowsAsync<PaymentsRateLimitedException>(() => admin.CaptureAsync("dummy", "pay_nothing"));
        Assert.Equal((429, PaymentsErrorCode.RateLimited), ((int)e.StatusCode, e.Code));
        Assert.NotNull(e.RetryAfter);
        Assert.InRange(e.RetryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal((long)e.RetryAfter.Value.TotalSeconds, e.Problem.GetInt64("retry_after_seconds"));
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_the_first_answer_and_with_another_body_is_a_typed_422()
    {
        var service = await server.ServiceAsync();
        var key = Guid.NewGuid().ToString();
        var reference = NewReference();
        var request = CreateIntentRequest.ForAmount(800, "EUR", "Idempotent", reference);

        var first = await service.CreateIntentAsync(request, idempotencyKey: key);
        var replay = await service.CreateIntentAsync(request, idempotencyKey: key);
        // A replay is the first answer itself; without the key the reference rule answers instead, marked as a repeat.
        Assert.Equal((first.PaymentId, false), (replay.PaymentId, replay.Repeated));
        Assert.True((await service.CreateIntentAsync(request)).Repeated);

        var e = await Assert.ThrowsAsync<PaymentsIdempotencyKeyReusedException>(
            () => service.CreateIntentAsync(CreateIntentRequest.ForAmount(801, "EUR", "Idempotent", reference), idempotencyKey: key));
        Assert.Equal((422, PaymentsErrorCode.IdempotencyKeyReused), ((int)e.StatusCode, e.Code));
    }

    [Fact]
    public async Task An_idempotency_key_the_service_would_refuse_is_refused_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => server.Guest.VerifyAsync("pay_x", idempotencyKey: "has space"));
        await Assert.ThrowsAsync<ArgumentException>(() => server.Guest.VerifyAsync("pay_x", idempotencyKey: new string('k', 256)));
    }
}
