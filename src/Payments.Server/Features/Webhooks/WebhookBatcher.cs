using System.Threading.Channels;
using Payments.Server.Data;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Webhooks;

/// <summary>
/// Group commit for webhooks: a writer takes every delivery waiting when it is free and applies them
/// as one <see cref="WebhookBatch"/> (one transaction, a savepoint each, one commit).
/// Each delivery's request is answered only after that commit, so an answer still means "durably
/// applied". There is no collection window: a lone delivery is committed at once, and under load the
/// deliveries that arrive while one commit is flushed to disk form the next batch.
/// <para>
/// SQLite has one writer per file, so there is one writer. PostgreSQL gets two: while one batch waits
/// for its commit to reach the disk, or its payments' locks, the next one is already executing on
/// another connection (and another core). Two writers of one process are two nodes as far as locking
/// goes: payments are locked in id order, events inserted in id order (see <see cref="WebhookBatch"/>).
/// </para>
/// <para>
/// A batch that fails as a whole (a deadlock with another node, a lost connection, a failed commit) is
/// rolled back and its deliveries are applied one by one, each in its own transaction (deadlocks
/// retried), so one delivery's trouble never fails or loses the others.
/// </para>
/// </summary>
public sealed class WebhookBatcher : IAsyncDisposable
{
    /// <summary>
    /// Every savepoint that writes takes a subtransaction id. PostgreSQL caches 64 per backend; past
    /// that, every other session's snapshots must consult pg_subtrans (a known cliff). 32 deliveries,
    /// even with an effect's own savepoint each, stay under it.
    /// </summary>
    public const int MaxBatch = 32;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<WebhookBatcher> _log;
    private readonly Task[] _writers;
    private long _commits;

    private sealed record Pending(WebhookDelivery Delivery, TaskCompletionSource<DeliveryResult> Done);

    public WebhookBatcher(IServiceScopeFactory scopes, DatabaseChoice database, ILogger<WebhookBatcher> log)
    {
        _scopes = scopes;
        _log = log;
        _writers = Enumerable.Range(0, SqlDialect.For(database.Kind).ConcurrentBatchWriters).Select(_ => Task.Run(WriteAsync)).ToArray();
    }

    /// <summary>Transactions committed so far (each holds one batch); tests use it to see that batching happens.</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues a delivery; completes once it is committed (or failed on its own).</summary>
    public Task<DeliveryResult> ApplyAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        // Not cancelled with the request: once queued it is applied, and a provider that gave up
        // waiting will deliver again and be told "duplicate".
        var pending = new Pending(delivery, new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(WebhookBatcher), "The service is stopping.");
        return pending.Done.Task;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await ProcessAsync(batch);
            }
            catch (Exception e)
            {
                // Never let the writer die: whatever is still open fails, the next batch starts fresh.
                foreach (var pending in batch) pending.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task ProcessAsync(List<Pending> batch)
    {
        Settled[] settled;
        try
        {
            settled = await ApplyAsync(batch.ConvertAll(p => p.Delivery));
        }
        catch (Exception e) when (batch.Count > 1)
        {
            _log.LogWarning(e, "A batch of {Count} webhook deliveries failed as a whole; applying them one by one", batch.Count);
            foreach (var pending in batch) await ProcessAloneAsync(pending);
            return;
        }
        catch (Exception e) when (DbErrors.IsRetryable(e))
        {
            await ProcessAloneAsync(batch[0]);
            return;
        }
        for (var i = 0; i < batch.Count; i++) Complete(batch[i], settled[i]);
    }

    private async Task ProcessAloneAsync(Pending pending)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Complete(pending, (await ApplyAsync([pending.Delivery]))[0]);
                return;
            }
            catch (Exception e) when (DbErrors.IsRetryable(e) && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)));
            }
            catch (Exception e)
            {
                pending.Done.TrySetException(e);
                return;
            }
        }
    }

    private async Task<Settled[]> ApplyAsync(IReadOnlyList<WebhookDelivery> deliveries)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var batch = new WebhookBatch(services.GetRequiredService<PaymentsDb>(), SqlDialect.For(services.GetRequiredService<DatabaseChoice>().Kind),
            services.GetRequiredService<TimeProvider>(), services.GetServices<IWebhookHandler>().ToList());
        // Not the request's token: the batch belongs to every request in it.
        var settled = await batch.ApplyAsync(deliveries, CancellationToken.None);
        Interlocked.Increment(ref _commits);
        return settled;
    }

    private static void Complete(Pending pending, Settled settled)
    {
        if (settled.Error is { } error) pending.Done.TrySetException(error);
        else pending.Done.TrySetResult(settled.Result!);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
