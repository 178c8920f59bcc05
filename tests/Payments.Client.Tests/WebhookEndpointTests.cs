using Payments.Client.Tests.Support;

namespace Payments.Client.Tests;

/// <summary>The host registers an endpoint with the client and verifies what the real service sends it.</summary>
public sealed class WebhookEndpointTests(ClientServer server)
{
    private async Task<PaymentIntent> PaidAsync(PaymentsClient service, long amount, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var intent = await service.CreateIntentAsync(new CreateIntentRequest
        {
            Amount = amount, Currency = "EUR", Description = "Hooked order", Reference = "hook-" + Guid.NewGuid().ToString("N")[..12],
            Metadata = metadata,
        });
        await server.PayAsync(intent.ProviderPaymentId);
        return intent;
    }

    [Fact]
    public async Task A_registered_endpoint_gets_signed_events_that_WebhookSignature_verifies_and_reads_them_typed()
    {
        await using var receiver = new HostWebhookReceiver();
        var endpoint = await server.Admin.CreateWebhookEndpointAsync(receiver.Url.ToString(), [WebhookEventTypes.All], "client test");
        receiver.Secret = endpoint.Secret;
        Assert.StartsWith("whsec_", endpoint.Secret);
        Assert.StartsWith("we_", endpoint.Id);
        try
        {
            var service = await server.ServiceAsync();
            var intent = await PaidAsync(service, 4200, new Dictionary<string, string> { ["orderId"] = "o-42" });

            var succeeded = await receiver.WaitFor(e => e.Type == WebhookEventTypes.PaymentSucceeded && e.AsPayment().PaymentId == intent.PaymentId);
            Assert.StartsWith("evt_", succeeded.Event.Id);
            var payment = succeeded.Event.AsPayment();
            Assert.Equal((PaymentStatuses.Succeeded, 4200L, "EUR", "o-42"), (payment.Status, payment.Amount, payment.Currency, payment.Metadata!["orderId"]));
            Assert.Throws<InvalidOperationException>(() => succeeded.Event.AsRefund());
            // What the receiver did, by hand: the raw body verifies with the secret, and with nothing else.
            var now = DateTimeOffset.UtcNow;
            Assert.True(WebhookSignature.Verify(succeeded.Body, succeeded.Header, endpoint.Secret, now));
            Assert.True(WebhookSignature.Verify(System.Text.Encoding.UTF8.GetString(succeeded.Body), succeeded.Header, endpoint.Secret, now));
            Assert.False(WebhookSignature.Verify(succeeded.Body, succeeded.Header, endpoint.Secret + "x", now));
            Assert.False(WebhookSignature.Verify([.. succeeded.Body, (byte)' '], succeeded.Header, endpoint.Secret, now));

            var refund = await server.Admin.RefundAsync(intent.PaymentId, 200);
            var refunded = await receiver.WaitFor(e => e.Type == WebhookEventTypes.RefundSucceeded && e.AsRefund().RefundId == refund.RefundId);
            Assert.Equal((intent.PaymentId, 200L, "succeeded"), (refunded.Event.AsRefund().PaymentId, refunded.Event.AsRefund().Amount, refunded.Event.AsRefund().Status));
            var paymentRefunded = await receiver.WaitFor(e => e.Type == WebhookEventTypes.PaymentRefunded && e.AsPayment().PaymentId == intent.PaymentId);
            Assert.Equal((PaymentStatuses.PartiallyRefunded, 200L), (paymentRefunded.Event.AsPayment().Status, paymentRefunded.Event.AsPayment().Refunded));
            Assert.Empty(receiver.Refused);

            var log = await server.Admin.ListWebhookDeliveriesAsync(endpoint.Id, pageSize: 100);
            var row = Assert.Single(log.Items, d => d.EventId == succeeded.Event.Id);
            Assert.Equal((WebhookEventTypes.PaymentSucceeded, "succeeded", 200), (row.Type, row.Status, row.LastStatusCode));

            var listed = Assert.Single(await server.Admin.ListWebhookEndpointsAsync(), e => e.Id == endpoint.Id);
            Assert.Equal("client test", listed.Description);
            Assert.Equal(["*"], listed.Events);
            Assert.Equal(receiver.Url.ToString(), (await server.Admin.GetWebhookEndpointAsync(endpoint.Id)).Url);
        }
        finally
        {
            await server.Admin.DeleteWebhookEndpointAsync(endpoint.Id);
        }
        await Assert.ThrowsAsync<PaymentsNotFoundException>(() => server.Admin.GetWebhookEndpointAsync(endpoint.Id));
        Assert.DoesNotContain(await server.Admin.ListWebhookEndpointsAsync(), e => e.Id == endpoint.Id);
    }

    [Fact]
    public async Task After_a_rotation_a_delivery_is_signed_with_both_secrets_and_either_verifies()
    {
        await using var receiver = new HostWebhookReceiver();
        var endpoint = await server.Admin.CreateWebhookEndpointAsync(receiver.Url.ToString(), [WebhookEventTypes.PaymentSucceeded]);
        try
        {
            var rotated = await server.Admin.RotateWebhookEndpointSecretAsync(endpoint.Id);
            Assert.NotEqual(endpoint.Secret, rotated.Secret);
            Assert.True(rotated.PreviousSecretExpiresAt > DateTimeOffset.UtcNow.AddHours(23));
            receiver.Secret = rotated.Secret;

            var intent = await PaidAsync(await server.ServiceAsync(), 300);
            var got = await receiver.WaitFor(e => e.AsPayment().PaymentId == intent.PaymentId);
            Assert.Equal(2, got.Header.Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)));
            var now = DateTimeOffset.UtcNow;
            Assert.True(WebhookSignature.Verify(got.Body, got.Header, endpoint.Secret, now)); // a host still on the old secret
            Assert.True(WebhookSignature.Verify(got.Body, got.Header, rotated.Secret, now));
        }
        finally
        {
            await server.Admin.DeleteWebhookEndpointAsync(endpoint.Id);
        }
    }

    [Fact]
    public async Task Creating_an_endpoint_is_idempotent_by_key_and_an_unknown_event_type_is_a_typed_422()
    {
        var key = Guid.NewGuid().ToString();
        var first = await server.Admin.CreateWebhookEndpointAsync("https://shop.example/hook", [WebhookEventTypes.RefundFailed], idempotencyKey: key);
        try
        {
            var again = await server.Admin.CreateWebhookEndpointAsync("https://shop.example/hook", [WebhookEventTypes.RefundFailed], idempotencyKey: key);
            Assert.Equal((first.Id, first.Secret), (again.Id, again.Secret));
        }
        finally
        {
            await server.Admin.DeleteWebhookEndpointAsync(first.Id);
        }

        var e = await Assert.ThrowsAsync<PaymentsValidationException>(
            () => server.Admin.CreateWebhookEndpointAsync("https://shop.example/hook", ["payment.teleported"]));
        Assert.Equal("events", e.Problem.GetString("field"));
    }
}
