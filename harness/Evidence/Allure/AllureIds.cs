using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Harness.Evidence.Allure;

/// <summary>allure-nunit's id conventions: testCaseId = md5(fullName); historyId = md5(JSON{fullName, parameters}) over non-excluded parameter values sorted by name.</summary>
public static class AllureIds
{
    public static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public static string TestCaseId(string fullName) => Md5Hex(fullName);

    public static string HistoryId(string fullName, IEnumerable<AllureParameter> parameters)
    {
        var values = parameters.Where(p => !p.Excluded).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Value).ToList();
        return Md5Hex(JsonSerializer.Serialize(new { fullName, parameters = values }));
    }
}
