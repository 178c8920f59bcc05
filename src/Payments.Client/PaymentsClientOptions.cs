namespace Payments.Client;

/// <summary>Where the Payments service is and how to sign in to it.</summary>
public sealed class PaymentsClientOptions
{
    /// <summary>
    /// The service's address, e.g. <c>https://payments.example/</c> (a path prefix such as
    /// <c>https://example/payments/</c> is kept). When null, the <see cref="HttpClient.BaseAddress"/> is used.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An API key (<c>psk_…</c>): the host's backend (role <c>service</c>) or an operator (role <c>admin</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// For calls on behalf of a signed-in person: returns the JWT to send (HS256, signed by the host with
    /// <c>JWT_SECRET_KEY</c>), asked for on every request so an expiring token can be renewed. Null: no token (a guest).
    /// Use either this or <see cref="ApiKey"/>.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? BearerToken { get; set; }

    internal void Validate()
    {
        if (ApiKey is not null && BearerToken is not null)
            throw new InvalidOperationException("PaymentsClientOptions: set ApiKey or BearerToken, not both.");
        if (BaseAddress is { IsAbsoluteUri: false })
            throw new InvalidOperationException($"PaymentsClientOptions.BaseAddress must be absolute, not '{BaseAddress}'.");
    }
}
