using System.Net.Http.Headers;

namespace Payments.Client;

public sealed partial class PaymentsClient
{
    /// <summary>
    /// <c>GET /api/v1/payment/receipt/{id}</c>: <paramref name="id"/> is <c>pay_…</c> or the receipt number <c>R-…</c>.
    /// A payment never paid is a <see cref="PaymentsConflictException"/>.
    /// </summary>
    public Task<Receipt> GetReceiptAsync(string id, CancellationToken ct = default) =>
        GetAsync<Receipt>($"api/v1/payment/receipt/{Segment(id)}", ct);

    /// <summary>The receipt as the HTML page the PDF is printed from.</summary>
    public async Task<string> GetReceiptHtmlAsync(string id, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, $"api/v1/payment/receipt/{Segment(id)}/html", null, null, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await PaymentsApiException.FromResponseAsync(response, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The receipt as a PDF. When the service has no PDF engine installed this is a
    /// <see cref="PaymentsApiException"/> with <see cref="PaymentsErrorCode.DependencyMissing"/> (503).
    /// </summary>
    public async Task<ReceiptPdf> GetReceiptPdfAsync(string id, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, $"api/v1/payment/receipt/{Segment(id)}/pdf", null, null, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await PaymentsApiException.FromResponseAsync(response, ct).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return new ReceiptPdf(FileNameOf(response.Content.Headers.ContentDisposition) ?? $"receipt-{id}.pdf", content);
    }

    private static string? FileNameOf(ContentDispositionHeaderValue? disposition) =>
        (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"');
}
