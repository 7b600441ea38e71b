namespace Harness.Proxy.Http2;

/// <summary>What the first bytes of a plain-text connection are, as far as HTTP/2 prior knowledge goes.</summary>
public enum Http2PrefaceMatch
{
    /// <summary>The bytes so far are a prefix of the preface: read more.</summary>
    NeedMoreData,
    /// <summary>The connection preface of RFC 9113 3.4: h2c with prior knowledge.</summary>
    Preface,
    /// <summary>Something else (HTTP/1.x).</summary>
    NotPreface,
}
