using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Subscriptions;

namespace Payments.Cli.Commands;

/// <summary><c>subscriptions list|show|sync</c>: subscriptions, their invoices, and asking the provider about one again.</summary>
public static class SubscriptionCommands
{
    public static Command Command()
    {
        var command = new Command("subscriptions", "Subscriptions, their invoices, and the provider's view of them.");

        var status = new Option<string?>("--status") { Description = "Only this status (active, past_due, canceled, …)." };
        var user = new Option<string?>("--user") { Description = "Only this user's." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "Newest subscriptions.") { status, user, limit };
        list.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var count = parse.GetValue(limit);
            if (count < 1) throw PaymentsException.Validation("--limit must be at least 1.");
            var query = services.GetRequiredService<PaymentsDb>().Subscriptions.AsNoTracking();
            if (parse.GetValue(status) is { } wanted) query = query.Where(s => s.Status == wanted);
            if (parse.GetValue(user) is { } who) query = query.Where(s => s.UserId == who);
            foreach (var s in await query.OrderByDescending(s => s.CreatedAt).Take(count).ToListAsync(ct))
                await Context.Output.WriteLineAsync(
                    $"{s.Id}  {s.Status,-18}  {s.PriceKey,-14}  {s.Provider,-7}  ends {s.CurrentPeriodEnd?.ToString("u") ?? "-",-20}  " +
                    $"{(s.CancelAtPeriodEnd ? "cancels" : "renews"),-8}  {s.UserId}");
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "Our subscription id (sub_…)." };
        var show = new Command("show", "A subscription with its invoices and audit trail.") { id };
        show.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var db = services.GetRequiredService<PaymentsDb>();
            var subscriptionId = parse.GetValue(id)!;
            var s = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == subscriptionId, ct)
                    ?? throw PaymentsException.NotFound($"No subscription '{subscriptionId}'.");
            var external = await db.ExternalSubscriptions.AsNoTracking().Where(e => e.SubscriptionId == s.Id).Select(e => e.ExternalId).FirstOrDefaultAsync(ct);
            var o = Context.Output;
            await o.WriteLineAsync($"{s.Id}  {s.Status}  {s.PriceKey}  {Core.Money.Money.Of(s.AmountMinor, s.Currency)} net + VAT {Core.Billing.VatRates.Percent(s.TaxRateBp)} % ({s.TaxRule})");
            await o.WriteLineAsync($"  user {s.UserId}, customer {s.CustomerId}, {s.Provider} {external ?? s.CheckoutId ?? "-"}");
            await o.WriteLineAsync($"  period {s.CurrentPeriodStart:u} – {s.CurrentPeriodEnd:u}{(s.CancelAtPeriodEnd ? ", cancels at its end" : "")}, synced {s.SyncedAt:u}");
            foreach (var i in await db.SubscriptionInvoices.AsNoTracking().Where(i => i.SubscriptionId == s.Id).OrderBy(i => i.CreatedAt).ToListAsync(ct))
                await o.WriteLineAsync($"  invoice {i.ExternalId}  {i.Status,-6}  {Core.Money.Money.Of(i.NetMinor + i.VatMinor, i.Currency)}  paid {i.AmountPaidMinor}  {i.PaymentId ?? "-"}");
            var marker = $"\"subscription_id\":\"{s.Id}\"";
            foreach (var a in await db.AuditLog.AsNoTracking().Where(a => a.Action.StartsWith("subscription.") && a.Data != null && a.Data.Contains(marker))
                         .OrderBy(a => a.Id).ToListAsync(ct))
                await o.WriteLineAsync($"  {a.At:u}  {a.Action,-28}  {a.Actor,-22}  {a.Data}");
            return 0;
        }));

        var syncId = new Argument<string>("id") { Description = "Our subscription id (sub_…)." };
        var sync = new Command("sync", "Ask the provider about a subscription (and its latest invoice) and apply the answer, under the customer's lock.") { syncId };
        sync.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var subscriptionId = parse.GetValue(syncId)!;
            var outcome = await services.GetRequiredService<SubscriptionSync>().SyncSubscriptionAsync(subscriptionId, ct);
            var s = await services.GetRequiredService<PaymentsDb>().Subscriptions.AsNoTracking().FirstAsync(x => x.Id == subscriptionId, ct);
            await Context.Output.WriteLineAsync($"{s.Id}  {outcome.ToString().ToLowerInvariant()}: {s.Status}, period ends {s.CurrentPeriodEnd?.ToString("u") ?? "-"}");
            return 0;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(sync);
        return command;
    }
}
