using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Payments.Server.Tests.Fuzz;

/// <summary>The service's own error log lines, kept so a fuzzing failure that answered 500 can show the exception behind it.</summary>
public sealed class ServerErrors : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    public string? Latest => _errors.LastOrDefault();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ServerErrors owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner._errors.Enqueue($"{category}: {formatter(state, exception)}\n{exception}");
            while (owner._errors.Count > 20) owner._errors.TryDequeue(out _);
        }
    }
}
