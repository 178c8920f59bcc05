using System.Net.Mime;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Payments.Core.Errors;

namespace Payments.Server.Hosting;

/// <summary>
/// The one place where failures become HTTP: every <see cref="ErrorKind"/> has exactly one status,
/// and every error leaves as an RFC 9457 problem document with a stable <c>type</c> and <c>code</c>.
/// </summary>
public static class Problems
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        ErrorKind.SignatureInvalid => StatusCodes.Status400BadRequest,
        ErrorKind.MalformedEvent => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.AmountMismatch => StatusCodes.Status409Conflict,
        ErrorKind.VendorNotReady => StatusCodes.Status409Conflict,
        ErrorKind.Validation => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorKind.ProviderError => StatusCodes.Status502BadGateway,
        ErrorKind.ProviderUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.DependencyMissing => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>snake_case code of a kind, e.g. <c>amount_mismatch</c>; also the last segment of <c>type</c>.</summary>
    public static string CodeOf(ErrorKind kind) => Data.PaymentsDb.SnakeCase(kind.ToString());

    public static ProblemDetails For(PaymentsException error, HttpContext context)
    {
        var problem = Create(context, StatusOf(error.Kind), CodeOf(error.Kind), error.Message);
        foreach (var (key, value) in error.Extensions) problem.Extensions[key] = value;
        return problem;
    }

    public static ProblemDetails Create(HttpContext context, int status, string code, string? detail)
    {
        var problem = new ProblemDetails
        {
            // A URN, not a URL: the codes are documented in docs/errors.md, which has no fixed public host.
            Type = $"urn:payments:problem:{code}",
            Title = TitleOf(code),
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = code;
        problem.Extensions["trace_id"] = context.TraceIdentifier;
        return problem;
    }

    private static string TitleOf(string code) =>
        char.ToUpperInvariant(code[0]) + code[1..].Replace('_', ' ');

    /// <summary>
    /// Gives problems written by the framework (401/403 challenges, 404/405 for unknown routes) the
    /// same <c>code</c>, <c>type</c> and <c>trace_id</c> members as ours.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var code = problem.Status switch
        {
            401 => CodeOf(ErrorKind.Unauthorized),
            403 => CodeOf(ErrorKind.Forbidden),
            404 => CodeOf(ErrorKind.NotFound),
            405 => "method_not_allowed",
            415 => "unsupported_media_type",
            429 => "rate_limited",
            _ => problem.Status >= 500 ? "internal_error" : CodeOf(ErrorKind.BadRequest),
        };
        problem.Type = $"urn:payments:problem:{code}";
        problem.Title = TitleOf(code);
        problem.Detail ??= code switch
        {
            "unauthorized" => "Sign in: send 'Authorization: Bearer <JWT or API key>'.",
            "forbidden" => "Your credentials do not allow this (admins only).",
            "not_found" => "There is nothing at this address.",
            _ => null,
        };
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions["code"] = code;
        problem.Extensions["trace_id"] = context.HttpContext.TraceIdentifier;
    }

    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? 500;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null,
            MediaTypeNames.Application.ProblemJson);
    }
}

/// <summary>Turns exceptions into problem documents; unexpected ones become a bare 500 with no internals.</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested) return true;
        var problem = ProblemFor(exception, context);
        if (problem.Status >= 500)
            log.LogError(exception, "Request {Path} failed with {Status}", context.Request.Path, problem.Status);
        await Problems.WriteAsync(context, problem);
        return true;
    }

    /// <summary>
    /// The problem document for an exception (and, for 401, the WWW-Authenticate header RFC 6750 asks
    /// for). Also used by the Idempotency-Key middleware, which stores client errors for replay.
    /// </summary>
    public static ProblemDetails ProblemFor(Exception exception, HttpContext context)
    {
        if (exception is PaymentsException { Kind: ErrorKind.Unauthorized })
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        // A limit a handler enforces itself (one end user of a service key) answers like the middleware's.
        if (exception is PaymentsException { Kind: ErrorKind.RateLimited } limited
            && limited.Extensions.TryGetValue("retry_after_seconds", out var seconds) && seconds is int retryAfter)
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return exception switch
        {
            PaymentsException known => Problems.For(known, context),
            BadHttpRequestException bad => Problems.Create(context, bad.StatusCode,
                bad.StatusCode == 413 ? "payload_too_large" : Problems.CodeOf(ErrorKind.BadRequest), BadRequestDetail(bad)),
            _ => Problems.Create(context, 500, "internal_error", "An unexpected error occurred; it has been logged."),
        };
    }

    // Minimal APIs wrap JSON errors; the inner message says which field and line, which helps callers.
    private static string BadRequestDetail(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : bad.Message;
}
