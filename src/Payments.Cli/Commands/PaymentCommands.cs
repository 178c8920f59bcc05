using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Features.Payments;

namespace Payments.Cli.Commands;

public static class PaymentCommands
{
    public static Command Command()
    {
        var payments = new Command("payments", "Look at payments and ask providers about them.");

        var status = new Option<string?>("--status") { Description = "Only this status (pending, succeeded, conflicted, …)." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "Newest payments.") { status, limit };
        list.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            // Take() with a negative count lists everything on SQLite and is a raw database error on PostgreSQL.
            var count = parse.GetValue(limit);
            if (count < 1) throw PaymentsException.Validation("--limit must be at least 1.");
            var query = services.GetRequiredService<PaymentsDb>().Payments.AsNoTracking();
            if (parse.GetValue(status) is { } wanted)
            {
                if (!PaymentStatusNames.TryParse(wanted, out var s)) throw PaymentsException.Validation($"Unknown status '{wanted}'.");
                query = query.Where(p => p.Status == s);
            }
            foreach (var p in await query.OrderByDescending(p => p.CreatedAt).Take(count).ToListAsync(ct))
                await Context.Output.WriteLineAsync(
                    $"{p.Id}  {p.Status.ToWire(),-18}  {p.Amount,14}  {p.Provider,-7}  {p.CreatedAt:u}  {p.OwnerId ?? "guest"}");
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "Our payment id (pay_…)." };
        var show = new Command("show", "A payment with its refunds and audit trail.") { id };
        show.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var db = services.GetRequiredService<PaymentsDb>();
            var paymentId = parse.GetValue(id)!;
            var p = await db.Payments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == paymentId, ct)
                    ?? throw PaymentsException.NotFound($"No payment '{paymentId}'.");
            var o = Context.Output;
            await o.WriteLineAsync($"{p.Id}  {p.Status.ToWire()}  {p.Amount}  refunded {p.Refunded}");
            await o.WriteLineAsync($"  {p.Description} via {p.Provider} ({p.ProviderPaymentId ?? "not sent"}; {p.ProviderReference ?? "-"}), owner {p.OwnerId ?? "guest"}");
            if (p.FailureReason is not null) await o.WriteLineAsync($"  reason: {p.FailureReason}");
            foreach (var r in (await db.Refunds.AsNoTracking().Where(r => r.PaymentId == paymentId).ToListAsync(ct)).OrderBy(r => r.CreatedAt))
                await o.WriteLineAsync($"  refund {r.Id}  {r.Status,-9}  {new Money(r.AmountMinor, Currency.Of(r.Currency))}  {r.FailureReason}");
            foreach (var a in await db.AuditLog.AsNoTracking().Where(a => a.PaymentId == paymentId).OrderBy(a => a.Id).ToListAsync(ct))
                await o.WriteLineAsync($"  {a.At:u}  {a.Action,-28}  {a.Actor,-22}  {a.Data}");
            return 0;
        }));

        var verifyId = new Argument<string>("id") { Description = "Our payment id (pay_…) or the provider's." };
        var verify = new Command("verify", "Ask the provider about a payment and apply its answer (as POST /verify does).") { verifyId };
        verify.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var db = services.GetRequiredService<PaymentsDb>();
            var given = parse.GetValue(verifyId)!;
            var payment = await Verify.FindAsync(db, services.GetRequiredService<Payments.Providers.ProviderRegistry>(), given, ct)
                          ?? throw PaymentsException.NotFound($"No payment '{given}'.");
            var (updated, last) = await services.GetRequiredService<ProviderRefresh>().RefreshAsync(payment, "cli:verify", ct);
            await Context.Output.WriteLineAsync($"{updated.Id}  {payment.Status.ToWire()} → {updated.Status.ToWire()}" +
                                                (last?.Reason is { } why ? $"  ({why})" : ""));
            return 0;
        }));

        payments.Subcommands.Add(list);
        payments.Subcommands.Add(show);
        payments.Subcommands.Add(verify);
        return payments;
    }
}
