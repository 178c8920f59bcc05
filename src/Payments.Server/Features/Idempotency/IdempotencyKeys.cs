using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Providers.Common;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Idempotency;

/// <summary>Marks a POST endpoint as honouring <c>Idempotency-Key</c>.</summary>
/// <param name="ProtectsResponse">The response carries a secret (a new API key): it is stored encrypted with the
/// service's data-protection keys, so the idempotency table never holds a usable credential.</param>
public sealed record IdempotentEndpoint(bool ProtectsResponse = false)
{
    public static readonly IdempotentEndpoint Instance = new();
    public static readonly IdempotentEndpoint Protected = new(true);

    /// <summary>Data-protection purpose of stored responses that carry secrets.</summary>
    public const string Purpose = "Payments.Idempotency.Response.v1";
}

public static class IdempotencyExtensions
{
    public static TBuilder Idempotent<TBuilder>(this TBuilder builder, bool protectsResponse = false) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(protectsResponse ? IdempotentEndpoint.Protected : IdempotentEndpoint.Instance);
}

/// <summary>
/// <c>Idempotency-Key</c> on our POST endpoints, as Stripe's API does it: the same key with the same
/// request replays the first response (header <c>Idempotent-Replayed: true</c>) for 24 hours; the same
/// key with a different request is a 422; a duplicate arriving while the first is still running
/// waits for it and replays it, so the work happens once. The first request's row is inserted before
/// it runs: the primary key (caller, key) is the gate, not a read-then-write check. Server errors
/// (5xx) are not stored, so a retry after one runs again.
/// <para>
/// A claim whose request never finished (its node was killed, or lost its database mid-request) is
/// abandoned after <c>IDEMPOTENCY_ABANDONED_AFTER_SECONDS</c> (default 120, longer than any request runs),
/// and the next retry runs the request again; until then a retry is told 409 "still being processed".
/// Without this a crash would block the key for 24 hours (the chaos suite found it). Running again is
/// safe where it matters: a refund resumes the refund its key reserved, and a create-intent with a
/// <c>reference</c> answers the payment it made; without one, the lost first checkout is never shown
/// to anyone and expires.
/// </para>
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ILogger<IdempotencyMiddleware> log, IConfiguration configuration)
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _abandonedAfter = TimeSpan.FromSeconds(
        configuration.Value("IDEMPOTENCY_ABANDONED_AFTER_SECONDS") is { } raw
            ? int.TryParse(raw, out var seconds) && seconds > 0
                ? seconds
                : throw new InvalidOperationException($"IDEMPOTENCY_ABANDONED_AFTER_SECONDS='{raw}' must be a positive whole number of seconds.")
            : 120);

    public async Task InvokeAsync(HttpContext context, IServiceScopeFactory scopes, TimeProvider clock)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || key.Length == 0
            || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is null)
        {
            await next(context);
            return;
        }
        if (key.Length > 255 || key.Any(c => c is < '!' or > '~'))
            throw PaymentsException.BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is ideal).");

        // Guests have no identity: their keys are scoped by address, so two guests who both send
        // "order-1" do not receive each other's payment (and its checkout URL).
        var scope = context.Caller().Partition ?? $"anon:{context.Connection.RemoteIpAddress}";
        var hash = await RequestHashAsync(context.Request);
        var started = clock.GetUtcNow();
        while (true)
        {
            await using var services = scopes.CreateAsyncScope();
            var db = services.ServiceProvider.GetRequiredService<PaymentsDb>();
            var now = clock.GetUtcNow();
            var existing = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, context.RequestAborted);

            if (existing is not null && existing.ExpiresAt <= now)
            {
                await db.IdempotencyKeys.Where(r => r.Scope == scope && r.Key == key && r.ExpiresAt <= now).ExecuteDeleteAsync(context.RequestAborted);
                continue;
            }
            if (existing is null)
            {
                // Whole microseconds (PostgreSQL's precision), so the claim can be recognised as ours later.
                var claimedAt = now.AddTicks(-(now.Ticks % 10));
                if (await TryClaimAsync(db, scope, key, hash, claimedAt, context.RequestAborted))
                {
                    await ExecuteAndStoreAsync(context, scopes, scope, key, claimedAt);
                    return;
                }
                continue; // someone claimed it between our read and our insert: look again
            }
            if (existing.RequestHash != hash)
                throw new PaymentsException(ErrorKind.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different request; use a new key for a new request.");
            if (existing.State == "completed")
            {
                await ReplayAsync(context, existing);
                return;
            }
            if (now - existing.CreatedAt > _abandonedAfter)
            {
                // Conditional, so of several retries arriving together one removes it and all race to claim it again.
                var abandonedBefore = now - _abandonedAfter;
                if (await db.IdempotencyKeys.Where(r => r.Scope == scope && r.Key == key && r.State == "in_progress" && r.CreatedAt < abandonedBefore)
                        .ExecuteDeleteAsync(context.RequestAborted) > 0)
                    log.LogWarning("Idempotency-Key {Key} was claimed at {At} by a request that never finished; running it again", key, existing.CreatedAt);
                continue;
            }
            if (clock.GetUtcNow() - started > MaxWait)
                throw new PaymentsException(ErrorKind.Conflict, "A request with this Idempotency-Key is still being processed; retry later.");
            await Task.Delay(TimeSpan.FromMilliseconds(50), clock, context.RequestAborted);
        }
    }

    private static async Task<bool> TryClaimAsync(PaymentsDb db, string scope, string key, string hash, DateTimeOffset now, CancellationToken ct)
    {
        db.IdempotencyKeys.Add(new IdempotencyRecord
        {
            Scope = scope, Key = key, RequestHash = hash, State = "in_progress", CreatedAt = now, ExpiresAt = now + Lifetime,
        });
        try
        {
            await db.SaveWriteAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "idempotency_keys_pkey", "idempotency_keys.scope", "idempotency_keys.key"))
        {
            return false;
        }
    }

    private async Task ExecuteAndStoreAsync(HttpContext context, IServiceScopeFactory scopes, string scope, string key, DateTimeOffset claimedAt)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        try
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is PaymentsException or BadHttpRequestException
                                      && ProblemExceptionHandler.ProblemFor(e, context) is { Status: < 500 } problem)
            {
                // A refusal (409, 422…) is an answer like any other: written here so it is stored and
                // replayed, instead of a retry running the request again. Server errors still propagate.
                await Problems.WriteAsync(context, problem);
            }
            if (context.Response.StatusCode < 500)
            {
                await using var services = scopes.CreateAsyncScope();
                var db = services.ServiceProvider.GetRequiredService<PaymentsDb>();
                // Our own claim only: a request that ran longer than the abandonment lease (a machine under heavy
                // load) may find its claim taken over by a retry, which runs and stores its own answer. This
                // request's work is done all the same (the operations under it have their own guards), so it
                // answers its caller and stores nothing; before, it failed with a 500 after doing the work.
                var record = await db.IdempotencyKeys.FirstOrDefaultAsync(
                    r => r.Scope == scope && r.Key == key && r.State == "in_progress" && r.CreatedAt == claimedAt, CancellationToken.None);
                if (record is null)
                    log.LogWarning("Idempotency-Key {Key}: the claim of {At} was taken over by a retry; answering without storing", key, claimedAt);
                else
                {
                    record.State = "completed";
                    record.ResponseStatus = context.Response.StatusCode;
                    record.ResponseType = context.Response.ContentType;
                    record.ResponseBody = Protector(context) is { } protector ? protector.Protect(buffer.ToArray()) : buffer.ToArray();
                    await db.SaveWriteAsync(CancellationToken.None);
                }
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!stored) await ReleaseAsync(scopes, scope, key, claimedAt);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>Forget a claim whose request failed, so the caller's retry runs again.</summary>
    private async Task ReleaseAsync(IServiceScopeFactory scopes, string scope, string key, DateTimeOffset claimedAt)
    {
        try
        {
            await using var services = scopes.CreateAsyncScope();
            var db = services.ServiceProvider.GetRequiredService<PaymentsDb>();
            // Ours only, never a retry's claim that took over after our lease ran out.
            await db.IdempotencyKeys.Where(r => r.Scope == scope && r.Key == key && r.State == "in_progress" && r.CreatedAt == claimedAt)
                .ExecuteDeleteAsync();
        }
        catch (Exception e)
        {
            // The claim then expires after 24 h; duplicates meanwhile get a clear 409 rather than a second execution.
            log.LogError(e, "Could not release Idempotency-Key {Key}", key);
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord record)
    {
        context.Response.StatusCode = record.ResponseStatus ?? 200;
        if (record.ResponseType is not null) context.Response.ContentType = record.ResponseType;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.ResponseBody is { Length: > 0 } body)
            await context.Response.Body.WriteAsync(Protector(context) is { } protector ? protector.Unprotect(body) : body, context.RequestAborted);
    }

    /// <summary>The protector for this endpoint's stored responses, or null when they are stored as sent.</summary>
    private static Microsoft.AspNetCore.DataProtection.IDataProtector? Protector(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is { ProtectsResponse: true }
            ? Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.CreateProtector(
                context.RequestServices.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), IdempotentEndpoint.Purpose)
            : null;

    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        long total = 0;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
            if (total > 1024 * 1024) throw new BadHttpRequestException("Request body is larger than 1 MB.", StatusCodes.Status413PayloadTooLarge);
            sha.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>Deletes expired idempotency records hourly so the table stays small.</summary>
public sealed class IdempotencyJanitor(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyJanitor> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var services = scopes.CreateAsyncScope();
                var db = services.ServiceProvider.GetRequiredService<PaymentsDb>();
                var now = clock.GetUtcNow();
                var removed = await db.IdempotencyKeys.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0) log.LogInformation("Removed {Count} expired idempotency records", removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Idempotency cleanup failed; it runs again in an hour");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
