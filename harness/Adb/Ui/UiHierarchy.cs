using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.XPath;

namespace Harness.Adb.Ui;

/// <summary>A parsed uiautomator dump: the element tree plus the XML for XPath queries. No I/O.</summary>
public sealed partial class UiHierarchy
{
    [GeneratedRegex(@"<\?xml.*</hierarchy>", RegexOptions.Singleline)]
    private static partial Regex DumpPattern();

    private readonly XmlDocument _document;
    private readonly Dictionary<XmlNode, UiElement> _elementsByNode;

    private UiHierarchy(XmlDocument document, IReadOnlyList<UiElement> roots, Dictionary<XmlNode, UiElement> elementsByNode, string xml)
    {
        _document = document;
        Roots = roots;
        _elementsByNode = elementsByNode;
        Xml = xml;
    }

    public string Xml { get; }
    public IReadOnlyList<UiElement> Roots { get; }
    public IEnumerable<UiElement> AllElements => Roots.SelectMany(root => root.DescendantsAndSelf());

    /// <summary>
    /// Pulls the XML out of raw command output ("UI hierchary dumped to: /dev/tty" before or after, terminal noise).
    /// Returns null when the output holds no complete dump (e.g. "ERROR: could not get idle state.").
    /// </summary>
    public static string? ExtractXml(string rawOutput)
    {
        var match = DumpPattern().Match(rawOutput ?? "");
        return match.Success ? match.Value : null;
    }

    /// <summary>Parses a dump; the output may carry noise around the XML.</summary>
    public static UiHierarchy Parse(string rawOutput)
    {
        // Real output carries a BOM, MIUI's stack trace before the XML, "UI hierchary dumped to" after it.
        var xml = ExtractXml(rawOutput) ?? throw UiDumpFailure.Describe(rawOutput);
        var document = new XmlDocument { XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
        }
        catch (Exception e) when (e is XmlException or ArgumentException)
        {
            // XmlReader reports some malformed declarations (version="2.0") as ArgumentException (found by fuzzing).
            throw new AdbProtocolException($"uiautomator dump is not well-formed XML: {e.Message}");
        }
        if (document.DocumentElement is not { Name: "hierarchy" } hierarchy)
            throw new AdbProtocolException($"uiautomator dump root must be <hierarchy>, got <{document.DocumentElement?.Name}>");

        var map = new Dictionary<XmlNode, UiElement>(ReferenceEqualityComparer.Instance);
        var roots = new List<UiElement>();
        foreach (XmlNode child in hierarchy.ChildNodes)
            if (child is XmlElement { Name: "node" } element)
                roots.Add(Build(element, null, map));
        return new UiHierarchy(document, roots, map, xml);
    }

    public IReadOnlyList<UiElement> FindAll(UiSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return selector.Kind switch
        {
            UiSelectorKind.ResourceId => AllElements.Where(e => e.ResourceId == selector.Value || e.ResourceId.EndsWith(":id/" + selector.Value, StringComparison.Ordinal)).ToList(),
            UiSelectorKind.Text => AllElements.Where(e => e.Text == selector.Value).ToList(),
            UiSelectorKind.ContentDescription => AllElements.Where(e => e.ContentDescription == selector.Value).ToList(),
            UiSelectorKind.ClassName => AllElements.Where(e => e.ClassName == selector.Value).ToList(),
            UiSelectorKind.XPath => SelectByXPath(selector.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(selector)),
        };
    }

    public UiElement? Find(UiSelector selector) => FindAll(selector).FirstOrDefault();

    private List<UiElement> SelectByXPath(string xpath)
    {
        XmlNodeList? nodes;
        try
        {
            nodes = _document.SelectNodes(xpath);
        }
        catch (XPathException e)
        {
            throw new ArgumentException($"invalid XPath \"{xpath}\": {e.Message}", nameof(xpath), e);
        }
        var found = new List<UiElement>();
        if (nodes is null) return found;
        foreach (XmlNode node in nodes)
        {
            // Attribute hits (//node/@text) resolve to the element that owns them.
            var owner = node is XmlAttribute attribute ? attribute.OwnerElement : node;
            if (owner is not null && _elementsByNode.TryGetValue(owner, out var element) && !found.Contains(element))
                found.Add(element);
        }
        return found;
    }

    private static UiElement Build(XmlElement node, UiElement? parent, Dictionary<XmlNode, UiElement> map)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XmlAttribute attribute in node.Attributes)
            attributes[attribute.Name] = attribute.Value;
        UiBounds? bounds = null;
        if (attributes.TryGetValue("bounds", out var text))
        {
            try { bounds = UiBounds.Parse(text); }
            catch (FormatException) { bounds = null; }
        }
        var element = new UiElement(attributes, bounds, parent);
        map[node] = element;
        foreach (XmlNode child in node.ChildNodes)
            if (child is XmlElement { Name: "node" } childElement)
                element.ChildList.Add(Build(childElement, element, map));
        return element;
    }
}
