namespace Harness.Leaks;

/// <summary>
/// A decoder that recognises a form by its field names (an analytics SDK's upload) and reads it as a whole: the
/// walker hands it every form it decodes, and walks what it opens instead of the raw fields it consumed.
/// </summary>
public interface IFormFieldsDecoder : IPayloadDecoder
{
    /// <summary>The upload read from <paramref name="fields"/>, or null when they are not this decoder's.</summary>
    FormUpload? Open(IReadOnlyList<(string Name, byte[] Value)> fields, ScanLimits limits);
}
