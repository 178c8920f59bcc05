namespace Payments.Client;

/// <summary>Admin operations: outgoing webhook endpoints and API keys (an admin key or an admin's JWT).</summary>
public sealed partial class PaymentsClient
{
    /// <summary>
    /// <c>POST /api/v1/webhook-endpoints</c>: <paramref name="events"/> are <see cref="WebhookEventTypes"/> or <c>*</c>.
    /// Keep <see cref="CreatedWebhookEndpoint.Secret"/>: it is never shown again.
    /// </summary>
    public Task<CreatedWebhookEndpoint> CreateWebhookEndpointAsync(
        string url, IEnumerable<string> events, string? description = null, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentNullException.ThrowIfNull(events);
        return SendAsync<CreatedWebhookEndpoint>(HttpMethod.Post, "api/v1/webhook-endpoints",
            new EndpointBody(url, events.ToList(), description), idempotencyKey, ct);
    }

    public Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<WebhookEndpoint>>("api/v1/webhook-endpoints", ct);

    public Task<WebhookEndpoint> GetWebhookEndpointAsync(string id, CancellationToken ct = default) =>
        GetAsync<WebhookEndpoint>($"api/v1/webhook-endpoints/{Segment(id)}", ct);

    /// <summary>Nothing more is sent to it.</summary>
    public Task DeleteWebhookEndpointAsync(string id, CancellationToken ct = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"api/v1/webhook-endpoints/{Segment(id)}", ct);

    /// <summary>A new signing secret; the old one keeps signing beside it for 24 hours.</summary>
    public Task<RotatedWebhookSecret> RotateWebhookEndpointSecretAsync(string id, string? idempotencyKey = null, CancellationToken ct = default) =>
        SendAsync<RotatedWebhookSecret>(HttpMethod.Post, $"api/v1/webhook-endpoints/{Segment(id)}/rotate-secret", null, idempotencyKey, ct);

    /// <summary>The endpoint's delivery log, newest first.</summary>
    public Task<PageOf<WebhookDelivery>> ListWebhookDeliveriesAsync(string id, int? page = null, int? pageSize = null, CancellationToken ct = default) =>
        GetAsync<PageOf<WebhookDelivery>>(WithQuery($"api/v1/webhook-endpoints/{Segment(id)}/deliveries", ("page", page), ("page_size", pageSize)), ct);

    /// <summary><c>POST /api/v1/admin/api-keys</c>: <paramref name="role"/> is <c>service</c> (the host application) or <c>admin</c>.</summary>
    public Task<CreatedApiKey> CreateApiKeyAsync(string name, string role = "service", string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return SendAsync<CreatedApiKey>(HttpMethod.Post, "api/v1/admin/api-keys", new ApiKeyBody(name, role), idempotencyKey, ct);
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ApiKeyInfo>>("api/v1/admin/api-keys", ct);

    /// <summary>Revokes a key; it stops working at once.</summary>
    public Task RevokeApiKeyAsync(string id, CancellationToken ct = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"api/v1/admin/api-keys/{Segment(id)}", ct);

    private sealed record EndpointBody(string Url, IReadOnlyList<string> Events, string? Description);

    private sealed record ApiKeyBody(string Name, string Role);
}
