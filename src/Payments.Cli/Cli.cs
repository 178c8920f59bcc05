using System.CommandLine;
using Payments.Cli.Commands;
using Payments.Core.Errors;
using Payments.Server.Hosting;

namespace Payments.Cli;

/// <summary>
/// <c>payments-cli</c>: what an operator needs at 3 a.m. without writing SQL — migrate, manage API
/// keys, look at payments and their audit trail, ask a provider about a payment, run a
/// reconciliation round, mint a JWT for testing. Reads the same environment variables as the
/// service (DATABASE_URL or SQLITE_PATH, provider secrets) and goes through the same code.
/// </summary>
public static class Cli
{
    /// <param name="settings">Configuration on top of the environment (tests use it instead of changing the process's variables).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("Operate a Payments service: same configuration (environment variables) as the server.");
        foreach (var command in new[]
                 {
                     Migrate.Command(), ApiKeyCommands.Command(), PaymentCommands.Command(), Reconcile.Command(), Events.Command(), Token.Command(),
                     MobilePayCommands.Command(), CatalogCommands.Command(), StripeCommands.Command(), SubscriptionCommands.Command(),
                 })
            root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        // Exceptions reach the mapping below instead of System.CommandLine's stack-trace printer.
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0)
        {
            await parsed.InvokeAsync(invocation); // prints the errors and help
            return 2;
        }
        try
        {
            Context.Output = output;
            Context.Error = error;
            Context.Settings = settings;
            return await parsed.InvokeAsync(invocation);
        }
        catch (StartupException e)
        {
            await error.WriteLineAsync($"payments-cli: cannot start: {e.Message}");
            return 1;
        }
        catch (PaymentsException e)
        {
            await error.WriteLineAsync($"payments-cli: {e.Kind}: {e.Message}");
            return e.Kind is ErrorKind.NotFound or ErrorKind.Validation ? 3 : 4;
        }
        catch (Exception e)
        {
            // "Provider or other failure" (exit code 4): one line for the operator, not a stack trace.
            await error.WriteLineAsync($"payments-cli: failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return 4;
        }
    }
}
