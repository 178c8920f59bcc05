namespace Payments.Core.Errors;

/// <summary>
/// A failure the caller should see, described by its <see cref="ErrorKind"/> and a sentence a
/// person can act on. Declined cards are not exceptions (they are provider results); this is for
/// requests we refuse and for outcomes we cannot know.
/// </summary>
public class PaymentsException(ErrorKind kind, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>Extra members for the problem document (e.g. <c>payment_id</c>, <c>expected</c>).</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public PaymentsException With(string key, object? value)
    {
        Extensions[key] = value;
        return this;
    }

    public static PaymentsException NotFound(string what) => new(ErrorKind.NotFound, what);
    public static PaymentsException Validation(string detail) => new(ErrorKind.Validation, detail);
    public static PaymentsException BadRequest(string detail) => new(ErrorKind.BadRequest, detail);
}
