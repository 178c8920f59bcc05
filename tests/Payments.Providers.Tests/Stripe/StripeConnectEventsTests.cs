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
