using System.CommandLine;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Features.Payments;

namespace Payments.Cli.Commands;

public static class Reconcile
{
    /// <summary>Exit code of <c>reconcile report</c> when it found differences (0: none; 4: a provider could not be asked).</summary>
    public const int DifferencesFound = 5;

    public static Command Command()
    {
        var command = new Command("reconcile", "Run one reconciliation round now (payments pending longer than RECONCILE_PENDING_AFTER_MINUTES).");
        command.SetAction(async (_, ct) => await Context.WithServicesAsync(async services =>
        {
            var asked = await services.GetRequiredService<ReconciliationWorker>().RunOnceAsync(ct);
            await Context.Output.WriteLineAsync($"Asked providers about {asked} payment(s).");
            return 0;
        }));
        command.Subcommands.Add(Report());
        return command;
    }

    private static Command Report()
    {
        var since = new Option<string>("--since")
        {
            Description = "Payments created at or after this instant (ISO 8601) or this long ago (90m, 6h, 2d).",
            DefaultValueFactory = _ => "30d",
        };
        var provider = new Option<string?>("--provider") { Description = "Only this provider's payments (dummy, stripe, paypal, …)." };
        var report = new Command("report",
            "Compare our payments with what their providers say (status, amount, currency, refunded) and with the credit ledger; " +
            "print each difference on a line, then a summary. Changes nothing. " +
            $"Exit code 0: no differences; {DifferencesFound}: differences; 4: a provider could not be asked.")
        {
            since, provider,
        };
        report.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var from = Events.ParseSince(parse.GetValue(since)!, services.GetRequiredService<TimeProvider>().GetUtcNow());
            var only = parse.GetValue(provider)?.Trim().ToLowerInvariant();
            var findings = await new ReconciliationReport(services.GetRequiredService<PaymentsDb>(), services.GetRequiredService<ProviderRegistry>())
                .RunAsync(from, only, ct);
            foreach (var difference in findings.Differences) await Context.Output.WriteLineAsync(difference.ToString());

            var disagreements = findings.Disagreements.ToList();
            var unreachable = findings.Unreachable.Count();
            var byField = string.Join(", ", disagreements.GroupBy(d => d.Field).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            await Context.Output.WriteLineAsync(
                $"Compared {findings.Payments} payment(s) since {from:u}{(only is null ? "" : $" at {only}")} with their providers and the credit ledger: " +
                (disagreements.Count == 0 ? "0 differences" : $"{disagreements.Count} difference(s) in {disagreements.Select(d => d.Subject).Distinct().Count()} record(s) ({byField})") +
                (unreachable == 0 ? "." : $"; {unreachable} payment(s) could not be asked."));
            return disagreements.Count > 0 ? DifferencesFound : unreachable > 0 ? 4 : 0;
        }));
        return report;
    }
}
