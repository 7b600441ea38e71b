namespace Harness.Scenarios;

/// <summary>STF answered an error (<c>{"success": false, "description": …}</c>) or could not be reached.</summary>
public sealed class StfException(string message, int? status = null, string? description = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status (401 no or bad token, 403 taken / not yours, 404 unknown phone, 504 phone not responding); null when STF was not reached.</summary>
    public int? Status { get; } = status;

    /// <summary>STF's own description of the error.</summary>
    public string? Description { get; } = description;
}
