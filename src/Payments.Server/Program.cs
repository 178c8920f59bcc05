using Payments.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentsServices();

var app = builder.Build();
try
{
    await app.PrepareAsync();
}
catch (StartupException e)
{
    // A configuration mistake deserves one clear line, not a stack trace.
    Console.Error.WriteLine($"payments: cannot start: {e.Message}");
    return 1;
}

app.MapPaymentsApi();
try
{
    await app.RunAsync();
}
catch (Exception e) when (e is IOException or FormatException)
{
    // Kestrel could not listen: the port is taken, or ASPNETCORE_URLS is not a URL.
    Console.Error.WriteLine($"payments: cannot start: cannot listen on {Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "the configured address"} " +
                            $"(ASPNETCORE_URLS): {(e is IOException { InnerException: { } inner } ? inner.Message : e.Message)}");
    return 1;
}
return 0;

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
