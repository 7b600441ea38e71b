namespace Harness.Leaks;

/// <summary>Receives every payload the walker reaches (the view itself and everything decoded from it).</summary>
public interface IPayloadVisitor
{
    /// <summary>
    /// Whether every JSON value (numbers too) must be visited on its own, as identifier analysis needs for field names.
    /// Otherwise a JSON document is visited whole and only strings that hold a match or could hide an encoding are
    /// visited again on their own.
    /// </summary>
    bool WantsEveryJsonValue { get; }

    /// <summary>
    /// Payloads shorter than this cannot hold anything the visitor looks for, in any encoding (every encoding and
    /// compression here makes short inputs longer), so the walker skips them.
    /// </summary>
    int MinInterestingLength { get; }

    /// <remarks>
    /// The node's <see cref="PayloadNode.Data"/> and <see cref="PayloadNode.AlphabetRuns"/> are valid only during the
    /// call: decoded payloads and run lists are pooled and reused once the walker leaves them, so copy what is kept.
    /// </remarks>
    /// <returns>Whether the visitor found something in this payload.</returns>
    bool Visit(PayloadNode node);

    /// <summary>
    /// A decoder recognised a payload and knows it cannot be read (an encrypted upload): a coverage gap, not a pass.
    /// Visitors that do not judge coverage ignore it.
    /// </summary>
    void Unreadable(DecodePath path, long size, string reason) { }
}
