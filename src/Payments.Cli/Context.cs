using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Payments.Server.Hosting;

namespace Payments.Cli;

/// <summary>The service's own services, built (not started) from the same configuration, with the schema up to date.</summary>
public static class Context
{
    // Per invocation (async flow), not per process: tests run several CLI invocations at once, and a
    // static would hand one of them the other's database.
    private static readonly AsyncLocal<TextWriter?> CurrentOutput = new();
    private static readonly AsyncLocal<IReadOnlyDictionary<string, string?>?> CurrentSettings = new();

    private static readonly AsyncLocal<TextWriter?> CurrentError = new();

    public static TextWriter Output
    {
        get => CurrentOutput.Value ?? Console.Out;
        set => CurrentOutput.Value = value;
    }

    public static TextWriter Error
    {
        get => CurrentError.Value ?? Console.Error;
        set => CurrentError.Value = value;
    }

    public static IReadOnlyDictionary<string, string?>? Settings
    {
        get => CurrentSettings.Value;
        set => CurrentSettings.Value = value;
    }

    public static async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        // appsettings.json (plans, logging) ships next to the binary; the database must be named explicitly,
        // because a CLI that quietly creates an empty SQLite file somewhere would report an empty world.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (Settings is not null) builder.Configuration.AddInMemoryCollection(Settings);
        if (string.IsNullOrWhiteSpace(builder.Configuration["DATABASE_URL"]) && string.IsNullOrWhiteSpace(builder.Configuration["SQLITE_PATH"]))
            throw new StartupException("set DATABASE_URL or SQLITE_PATH to the service's database " +
                                       "(`dotnet run --project src/Payments.Server` uses src/Payments.Server/data/payments.db).", null);
        if (builder.Configuration["SQLITE_PATH"] is { Length: > 0 } sqlite)
            builder.Configuration["SQLITE_PATH"] = FromWorkingDirectory(sqlite, Environment.CurrentDirectory);
        builder.Logging.ClearProviders();
        builder.AddPaymentsServices();
        await using var app = builder.Build();
        await app.PrepareAsync(); // same validation and migrations as the server's start
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>
    /// An operator types a path relative to where they are, not to the CLI's binary folder (the content
    /// root, where the server would put it): resolve it against the working directory.
    /// </summary>
    public static string FromWorkingDirectory(string path, string workingDirectory) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(workingDirectory, path));
}
