using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Credits;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;
using OperatorCli = Payments.Cli.Cli;
using ReconcileCommand = Payments.Cli.Commands.Reconcile;

namespace Payments.Server.Tests.Cli;

/// <summary>
/// <c>payments-cli reconcile report</c> against the fake Stripe and the dummy: after a normal run (paid,
/// refunded, failed, canceled, pending, a credits purchase taken back in part) nothing differs; a row
/// changed behind the service's back is reported with what differs, and the exit code says so.
/// </summary>
public abstract class ReconcileReportTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : StripeApp
{
    private PaymentsApp App => fixture.App;

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new Dictionary<string, string?>(App.Database.Settings);
        foreach (var (key, value) in StripeAppSettings.For(fixture.Stripe)) settings[key] = value;
        var code = await OperatorCli.RunAsync(args, output, error, settings);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_normal_run_differs_in_nothing_and_rows_changed_behind_the_services_back_are_reported()
    {
        using var guest = App.Client();
        using var admin = App.Client().As(Credentials.AdminKey);
        using var buyer = App.Client().As(Credentials.Jwt("report-buyer"));
        async Task<(string PaymentId, string ProviderId)> Intent(HttpClient client, object body)
        {
            var intent = await (await client.PostJson("/api/v1/payment/create-intent", body)).Body();
            return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        }
        async Task Refund(string paymentId, long amount) =>
            Assert.Equal(HttpStatusCode.OK, (await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount })).StatusCode);

        var pending = await Intent(guest, new { plan = "basic" });
        var paid = await Intent(guest, new { plan = "pro" });
        var refunded = await Intent(guest, new { plan = "basic" });
        var failed = await Intent(guest, new { plan = "basic" });
        var canceled = await Intent(guest, new { plan = "basic" });
        var credits = await Intent(buyer, new { credits = 2000 });
        foreach (var (dmId, outcome) in new[] { (paid.ProviderId, "succeeded"), (refunded.ProviderId, "succeeded"), (failed.ProviderId, "failed"),
                     (canceled.ProviderId, "canceled"), (credits.ProviderId, "succeeded") })
            await guest.PayDummy(dmId, outcome);
        await Refund(refunded.PaymentId, 500);
        await Refund(credits.PaymentId, 500); // takes back a quarter of the 2,000 credits
        var stripePending = await Intent(guest, new { plan = "basic", provider = "stripe" });
        var stripePaid = await Intent(guest, new { plan = "basic", provider = "stripe" });
        foreach (var e in fixture.Stripe.Pay(stripePaid.ProviderId)) await fixture.Stripe.DeliverAsync(e);
        await Refund(stripePaid.PaymentId, 700);

        var clean = await Run("reconcile", "report", "--since", "1h");

        Assert.True(clean.Code == 0, clean.Out + clean.Err);
        Assert.Matches(@"Compared \d+ payment\(s\) since .* with their providers and the credit ledger: 0 differences\.", clean.Out);
        Assert.Single(clean.Out.Trim().Split('\n')); // the summary alone

        await Tamper(db => db.Payments.Where(p => p.Id == paid.PaymentId).ExecuteUpdateAsync(s => s.SetProperty(p => p.AmountMinor, 2800)));
        await Tamper(db => db.Payments.Where(p => p.Id == stripePaid.PaymentId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Pending)));
        await Tamper(db => db.Payments.Where(p => p.Id == refunded.PaymentId).ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundedMinor, 0L)));
        var takeBack = await Tamper(db => db.CreditTransactions.Where(t => t.PaymentId == credits.PaymentId && t.Kind == "refund").Select(t => t.Id).SingleAsync());
        await Tamper(db => db.CreditEntries.Where(e => e.TransactionId == takeBack && e.Account == CreditAccounts.Sales).ExecuteDeleteAsync());

        var (code, output, _) = await Run("reconcile", "report", "--since", "1h");

        Assert.Equal(ReconcileCommand.DifferencesFound, code);
        var lines = output.Trim().Split('\n');
        string LineAbout(string subject, string field) =>
            Assert.Single(lines, l => l.StartsWith(subject, StringComparison.Ordinal) && l.Contains($"  {field}: ", StringComparison.Ordinal));
        Assert.Contains("ours 28.00 EUR, provider 29.00 EUR", LineAbout(paid.PaymentId, "amount"));
        Assert.Contains("ours pending, provider succeeded", LineAbout(stripePaid.PaymentId, "status"));
        Assert.Contains("ours 0.00 EUR, provider 5.00 EUR", LineAbout(refunded.PaymentId, "refunded"));
        Assert.Contains("5.00 EUR in succeeded refund rows", LineAbout(refunded.PaymentId, "refund_rows"));
        Assert.Contains("0 credits taken back, expected 500", LineAbout(credits.PaymentId, "credits"));
        Assert.Contains("entries sum to -500", LineAbout(takeBack, "ledger"));
        Assert.DoesNotContain(lines, l => l.StartsWith(pending.PaymentId, StringComparison.Ordinal) || l.StartsWith(failed.PaymentId, StringComparison.Ordinal)
                                          || l.StartsWith(canceled.PaymentId, StringComparison.Ordinal) || l.StartsWith(stripePending.PaymentId, StringComparison.Ordinal));
        Assert.Contains("6 difference(s) in 5 record(s)", lines[^1]);

        // One provider's payments only: the dummy's tampered rows are not Stripe's business.
        var stripeOnly = await Run("reconcile", "report", "--since", "1h", "--provider", "stripe");
        Assert.DoesNotContain(paid.PaymentId, stripeOnly.Out);
        Assert.Contains(stripePaid.PaymentId, stripeOnly.Out);
    }

    private async Task<T> Tamper<T>(Func<PaymentsDb, Task<T>> change)
    {
        await using var db = App.Db();
        return await change(db.Context);
    }
}

public sealed class ReconcileReportTests_Sqlite(StripeSqliteApp app) : ReconcileReportTests<StripeSqliteApp>(app);

public sealed class ReconcileReportTests_Postgres(StripePostgresApp app) : ReconcileReportTests<StripePostgresApp>(app);

/// <summary>Which of our statuses may stand beside which of the provider's, and how a difference reads.</summary>
public class ReconciliationCompareTests
{
    [Theory]
    [InlineData(PaymentStatus.Succeeded, ProviderPaymentStatus.Succeeded, true)]
    [InlineData(PaymentStatus.Refunded, ProviderPaymentStatus.Succeeded, true)]
    [InlineData(PaymentStatus.Succeeded, ProviderPaymentStatus.Pending, false)]
    [InlineData(PaymentStatus.Pending, ProviderPaymentStatus.Succeeded, false)] // a lost webhook: reconcile heals it
    [InlineData(PaymentStatus.Pending, ProviderPaymentStatus.Pending, true)]
    [InlineData(PaymentStatus.Failed, ProviderPaymentStatus.Pending, true)] // a declined card leaves the checkout open
    [InlineData(PaymentStatus.Failed, ProviderPaymentStatus.Declined, true)]
    [InlineData(PaymentStatus.Failed, ProviderPaymentStatus.Succeeded, false)]
    [InlineData(PaymentStatus.Canceled, ProviderPaymentStatus.Canceled, true)]
    [InlineData(PaymentStatus.Expired, ProviderPaymentStatus.Expired, true)]
    [InlineData(PaymentStatus.Expired, ProviderPaymentStatus.Pending, false)] // still open at the provider
    [InlineData(PaymentStatus.Conflicted, ProviderPaymentStatus.Succeeded, false)] // always needs a person
    [InlineData(PaymentStatus.Succeeded, ProviderPaymentStatus.Unknown, false)]
    public void Statuses_agree_only_where_both_sides_can_be_true(PaymentStatus ours, ProviderPaymentStatus theirs, bool agrees) =>
        Assert.Equal(agrees, ReconciliationReport.Agrees(ours, theirs));

    [Fact]
    public void A_currency_difference_is_reported_as_such_not_as_an_amount()
    {
        var ours = new Payment
        {
            Id = "pay_x", Description = "Basic plan", AmountMinor = 1900, Currency = "EUR", Provider = "stripe", Status = PaymentStatus.Succeeded,
        };
        var differences = ReconciliationReport.Compare(ours, new ProviderPayment("cs_x", ProviderPaymentStatus.Succeeded, Money.Of(1900, "USD"))).ToList();
        var currency = Assert.Single(differences);
        Assert.Equal("pay_x  stripe   currency: ours EUR, provider USD", currency.ToString());
    }
}
