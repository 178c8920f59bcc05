using OperatorCli = Payments.Cli.Cli;
using Payments.Server.Data;
using Payments.Server.Tests.Billing;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Subscriptions;

public sealed class SubscriptionCliApp() : BillingApp(DatabaseKind.Sqlite);

/// <summary><c>payments-cli subscriptions list|show|sync</c> against the database and (fake) Stripe a service uses.</summary>
public class SubscriptionCliTests(SubscriptionCliApp fixture) : IClassFixture<SubscriptionCliApp>
{
    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var all = new Dictionary<string, string?>(fixture.App.Database.Settings);
        foreach (var (key, value) in StripeAppSettings.For(fixture.Stripe)) all[key] = value;
        var code = await OperatorCli.RunAsync(args, output, error, all);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Sync_asks_Stripe_about_a_subscription_whose_events_never_came_and_list_and_show_print_it()
    {
        using var user = new SubscriptionClient(fixture.App, SubscriptionClient.NewUser());
        await user.SetBillingInfo(null);
        var created = await user.Subscribe("stripe");
        var id = created.Str("subscription_id");
        fixture.Stripe.CompleteSubscriptionCheckout(new Uri(created.Str("redirect_url")).Segments[^1]); // no event is delivered

        await using (var db = fixture.App.Db())
        {
            var row = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Context.Subscriptions, s => s.Id == id);
            Assert.True(row.CheckoutId is not null, $"checkout {row.CheckoutId} provider {row.Provider} status {row.Status}");
        }
        var (code, output, err) = await Run("subscriptions", "sync", id);
        Assert.True(code == 0, err);
        Assert.True(output.StartsWith($"{id}  applied: active, period ends ", StringComparison.Ordinal),
            output + string.Join("\n", fixture.Stripe.Requests.Select(r => $"{r.Method} {r.Path}")));
        Assert.Equal("active", (await user.Get(id)).Str("status"));

        var (listed, lines, _) = await Run("subscriptions", "list", "--user", user.User);
        Assert.Equal(0, listed);
        Assert.Contains(id, lines);
        Assert.Contains("pro_monthly", lines);

        var (shown, details, _) = await Run("subscriptions", "show", id);
        Assert.Equal(0, shown);
        Assert.Contains("34.51 EUR  paid 3451  pay_", details); // the first invoice, paid, and the payment it became
        Assert.Equal(3, (await Run("subscriptions", "show", "sub_missing")).Code);
    }
}
