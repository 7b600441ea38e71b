using System.Text.Json.Nodes;

namespace Harness.Cli.Tests.Scan;

/// <summary>A HAR 1.2 file as other tools write it (standard fields only, no Harness "_" extensions).</summary>
internal sealed class ForeignHar
{
    private readonly JsonArray _entries = [];

    public JsonObject Post(string url, JsonObject postData, params (string Name, string Value)[] headers)
    {
        var entry = Entry("POST", url, headers);
        entry["request"]!["postData"] = postData;
        return entry;
    }

    public JsonObject Get(string url, params (string Name, string Value)[] headers) => Entry("GET", url, headers);

    public static JsonObject Text(string mimeType, string text) => new() { ["mimeType"] = mimeType, ["text"] = text };

    private JsonObject Entry(string method, string url, (string Name, string Value)[] headers)
    {
        var headerArray = new JsonArray();
        foreach (var (name, value) in headers) headerArray.Add(new JsonObject { ["name"] = name, ["value"] = value });
        var entry = new JsonObject
        {
            ["startedDateTime"] = "2026-05-01T10:00:00.000Z",
            ["time"] = 12.5,
            ["request"] = new JsonObject
            {
                ["method"] = method, ["url"] = url, ["httpVersion"] = "HTTP/1.1", ["headers"] = headerArray,
                ["queryString"] = new JsonArray(), ["cookies"] = new JsonArray(), ["headersSize"] = -1, ["bodySize"] = -1,
            },
            ["response"] = new JsonObject
            {
                ["status"] = 200, ["statusText"] = "OK", ["httpVersion"] = "HTTP/1.1", ["headers"] = new JsonArray(), ["cookies"] = new JsonArray(),
                ["content"] = new JsonObject { ["size"] = 0, ["mimeType"] = "text/plain" }, ["redirectURL"] = "", ["headersSize"] = -1, ["bodySize"] = 0,
            },
            ["cache"] = new JsonObject(),
            ["timings"] = new JsonObject { ["send"] = 0, ["wait"] = 10, ["receive"] = 2.5 },
        };
        _entries.Add(entry);
        return entry;
    }

    public string ToJson() => new JsonObject
    {
        ["log"] = new JsonObject
        {
            ["version"] = "1.2",
            ["creator"] = new JsonObject { ["name"] = "test", ["version"] = "1" },
            ["entries"] = _entries.DeepClone(),
        },
    }.ToJsonString();
}
