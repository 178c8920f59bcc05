using Payments.Client.Tests.Support;

namespace Payments.Client.Tests;

/// <summary>The host buys credits for its user, is told they arrived, and spends them through the client.</summary>
public sealed class CreditsTests(ClientServer server)
{
    [Fact]
    public async Task Credits_bought_for_a_user_arrive_and_spend_once_per_reference_and_a_short_balance_is_a_typed_409()
    {
        var service = await server.ServiceAsync();
        var user = "credit-user-" + Guid.NewGuid().ToString("N")[..8];
        await using var receiver = new HostWebhookReceiver();
        var endpoint = await server.Admin.CreateWebhookEndpointAsync(receiver.Url.ToString(), [WebhookEventTypes.CreditsGranted]);
        receiver.Secret = endpoint.Secret;
        try
        {
            var intent = await service.CreateIntentAsync(CreateIntentRequest.ForCredits(1500, user));
            Assert.Equal((1500L, "USD"), (intent.Amount, intent.Currency));
            await server.PayAsync(intent.ProviderPaymentId);
            await service.VerifyAsync(intent.PaymentId);

            var granted = (await receiver.WaitFor(e => e.AsCredits().UserId == user)).Event.AsCredits();
            Assert.Equal((1500L, "purchase", intent.PaymentId), (granted.Credits, granted.Reason, granted.PaymentId));
            Assert.Equal((1500L, true), ((await service.GetCreditBalanceAsync(user)).Credits, (await service.GetCreditBalanceAsync(user)).CanSpend));

            var spent = await service.SpendCreditsAsync(user, 300, "job-981", "GPU hour");
            Assert.Equal((300L, 1200L, false, "GPU hour"), (spent.Amount, spent.Balance, spent.Replayed, spent.Memo));
            var replay = await service.SpendCreditsAsync(user, 300, "job-981", "GPU hour");
            Assert.Equal((spent.TransactionId, true, 1200L), (replay.TransactionId, replay.Replayed, replay.Balance));

            var otherAmount = await Assert.ThrowsAsync<PaymentsConflictException>(() => service.SpendCreditsAsync(user, 301, "job-981"));
            Assert.Equal(spent.TransactionId, otherAmount.Problem.GetString("transaction_id"));
            var tooMuch = await Assert.ThrowsAsync<PaymentsConflictException>(() => service.SpendCreditsAsync(user, 5000, "job-982"));
            Assert.Equal(("insufficient_credits", 1200L, 5000L),
                (tooMuch.Reason, tooMuch.Problem.GetInt64("balance"), tooMuch.Problem.GetInt64("requested")));

            var history = await service.GetCreditHistoryAsync(user);
            Assert.Equal(["spend", "purchase"], history.Items.Select(i => i.Kind));
            Assert.Equal(-300L, history.Items[0].Amount);
            Assert.Single((await service.GetCreditHistoryAsync(user, kind: "purchase")).Items);
        }
        finally
        {
            await server.Admin.DeleteWebhookEndpointAsync(endpoint.Id);
        }
    }

    [Fact]
    public async Task A_user_records_who_referred_them_once_and_the_packages_are_priced_by_the_server()
    {
        var service = await server.ServiceAsync();
        var referrer = await service.GetReferralAsync("referrer-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(referrer.ReferralCode, (await service.GetReferralAsync(referrer.UserId)).ReferralCode); // never changes

        var newcomer = server.User("newcomer-" + Guid.NewGuid().ToString("N")[..8]);
        var set = await newcomer.SetReferralAsync(referrer.ReferralCode);
        Assert.Equal(referrer.ReferralCode, set.ReferredByCode);
        var otherCode = (await service.GetReferralAsync("someone-else")).ReferralCode;
        var again = await Assert.ThrowsAsync<PaymentsConflictException>(() => newcomer.SetReferralAsync(otherCode));
        Assert.Equal(referrer.ReferralCode, again.Problem.GetString("referred_by_code"));

        var catalog = await server.Guest.GetCreditPackagesAsync();
        var starter = Assert.Single(catalog.Packages, p => p.Id == "starter");
        Assert.Equal((1000L, 1000L, "USD"), (starter.Credits, starter.Amount, starter.Currency));
        Assert.Equal((1L, "USD"), (catalog.AmountPerCredit, catalog.Currency));
        Assert.True(catalog.Custom.MaxCredits > catalog.Custom.MinCredits);
    }

    [Fact]
    public async Task A_guest_cannot_spend_credits()
    {
        await Assert.ThrowsAsync<PaymentsUnauthorizedException>(() => server.Guest.SpendCreditsAsync("anyone", 1, "job-x"));
        await Assert.ThrowsAsync<PaymentsForbiddenException>(() => server.User("plain-user").SpendCreditsAsync("plain-user", 1, "job-x"));
    }
}
