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
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
