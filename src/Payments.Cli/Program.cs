namespace Payments.Cli;

/// <summary>Entry point (a named class: the server's <c>Program</c> is public for the test host).</summary>
public static class EntryPoint
{
    public static Task<int> Main(string[] args) => Cli.RunAsync(args);
}
