namespace Payments.Server.Hosting;

/// <summary>
/// A background service that runs one round every interval on each node, for the workers whose rounds are safe to
/// run on several nodes at once (they work under row or customer locks). A round that fails is logged and the next
/// one comes at the next tick: a provider outage must not end the worker.
/// </summary>
public abstract class PeriodicWorker(TimeProvider clock, ILogger log) : BackgroundService
{
    /// <summary>For the rounds: the derived workers read the clock and log through these.</summary>
    protected TimeProvider Clock => clock;

    protected ILogger Log => log;

    /// <summary>False: the service does not start at all (tests run rounds themselves).</summary>
    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>"Reconciliation", "Billing worker"…: the start of the log line when a round fails.</summary>
    protected abstract string Name { get; }

    protected abstract Task RoundAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "{Worker} round failed; next round in {Interval}", Name, Interval);
            }
        }
    }
}
