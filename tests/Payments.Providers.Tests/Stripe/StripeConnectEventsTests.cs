using System.Text;
using Payments.Core.Providers;
using Payments.Providers.Stripe;

namespace Payments.Providers.Tests.Stripe;

/// <summary><c>account.updated</c> in endive's shape, as a Connect endpoint and as the platform's own endpoint send it.</summary>
public class StripeConnectEventsTests
{
    private const string Restricted =
        """{"id":"acct_1","object":"account","charges_enabled":false,"payouts_enabled":false,"details_submitted":true,"metadata":{"vendor_id":"ven_1"},"requirements":{"currently_due":["external_account"],"past_due":["individual.verification.document"],"disabled_reason":"requirements.past_due","eventually_due":[],"errors":[]},"type":"express"}""";

    private static ProviderEvent? Parse(string? account, string dataObject, out string? why, string created = "1772366400")
    {
        var top = account is null ? "" : $"\"account\":\"{account}\",";
        var json = $$"""{"id":"evt_1","object":"event",{{top}}"api_version":"2026-10-28.endive","created":{{created}},"data":{"object":{{dataObject}}},"livemode":false,"type":"account.updated"}""";
        return StripeEvents.Parse(Encoding.UTF8.GetBytes(json), out why);
    }

    [Fact]
    public void A_connected_accounts_update_reports_its_state_vendor_and_time_of_the_event()
    {
        var e = Parse("acct_1", Restricted, out var why)!;
        Assert.Null(why);
        Assert.Equal((WebhookRecordType.ConnectedAccount, "acct_1"), (e.RecordType, e.RecordId));
        var news = e.Account!;
        Assert.Equal(("ven_1", DateTimeOffset.FromUnixTimeSeconds(1772366400)), (news.VendorId, news.ReportedAt));
        Assert.Equal((false, false, true, "requirements.past_due"),
            (news.Account.ChargesEnabled, news.Account.PayoutsEnabled, news.Account.DetailsSubmitted, news.Account.DisabledReason));
        Assert.Equal(["individual.verification.document", "external_account"], news.Account.RequirementsDue);
    }

    [Fact]
    public void The_platforms_own_account_update_without_a_connected_account_changes_no_vendor()
    {
        var e = Parse(null, Restricted, out _)!;
        Assert.Equal((WebhookRecordType.ConnectedAccount, ProviderEventKind.Informational), (e.RecordType, e.Kind));
        Assert.Null(e.Account);
    }

    [Fact]
    public void An_event_for_one_account_describing_another_is_malformed()
    {
        Assert.Null(Parse("acct_2", Restricted, out var why));
        Assert.Contains("acct_2", why);
    }
}

/// <summary>Connect's own secret: without it nothing is set up and no Connect delivery is believed.</summary>
public class StripeConnectSecretTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static StripeProvider Provider(string? connectSecret) => new(
        new StripeOptions { Enabled = true, SecretKey = "sk_test_x", WebhookSecret = "whsec_platform", ConnectWebhookSecret = connectSecret },
        new Unreachable(), new Support.FixedClock(Now));

    [Fact]
    public async Task Without_the_Connect_secret_setup_is_refused_naming_the_variable_before_Stripe_is_called()
    {
        var e = await Assert.ThrowsAsync<ProviderErrorException>(() => Provider(null).CreateAccountAsync(
            new ConnectedAccountRequest("ven_1", "v@example.com", "DE", Core.Money.Currency.Of("EUR"), "ven_1-account"), default));
        Assert.Contains("STRIPE_CONNECT_WEBHOOK_SECRET", e.Message);
    }

    [Theory]
    [InlineData(null, "whsec_connect")]
    [InlineData("whsec_connect", "whsec_platform")]
    public async Task A_Connect_delivery_is_proven_only_by_the_Connect_secret(string? configured, string signedWith)
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"account.updated"}""");
        var t = Now.ToUnixTimeSeconds();
        var mac = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(signedWith),
            Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray()));
        var request = new WebhookRequest(new Dictionary<string, string> { ["Stripe-Signature"] = $"t={t},v1={mac}" }, body, Now);
        Assert.False((await Provider(configured).VerifyConnectAsync(request, default)).Verified);
        var good = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_connect"),
            Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray()));
        var proven = request with { Headers = new Dictionary<string, string> { ["Stripe-Signature"] = $"t={t},v1={good}" } };
        Assert.Equal(configured is not null, (await Provider(configured).VerifyConnectAsync(proven, default)).Verified);
    }

    private sealed class Unreachable : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No HTTP call was expected.");
    }
}
