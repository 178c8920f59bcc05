using System.CommandLine;
using Payments.Server.Features.Payments;

namespace Payments.Cli.Commands;

public static class Reconcile
{
    public static Command Command()
    {
        var command = new Command("reconcile", "Run one reconciliation round now (payments pending longer than RECONCILE_PENDING_AFTER_MINUTES).");
        command.SetAction(async (_, ct) => await Context.WithServicesAsync(async services =>
        {
            var asked = await services.GetRequiredService<ReconciliationWorker>().RunOnceAsync(ct);
            await Context.Output.WriteLineAsync($"Asked providers about {asked} payment(s).");
            return 0;
        }));
        return command;
    }
}
