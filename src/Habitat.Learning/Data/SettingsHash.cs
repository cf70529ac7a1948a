using System.Security.Cryptography;
using System.Text;

namespace Habitat.Learning.Data;

/// <summary>
/// The identity of a feature-extraction settings file: SHA-256 (lower-case hex) of its UTF-8 text with line endings
/// normalised to LF, so the same settings hash alike on every platform. Feature tables carry it in a
/// <c>settings_hash</c> column; models record it and refuse features with another one.
/// </summary>
public static class SettingsHash
{
    public static string Of(string settingsText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settingsText.Replace("\r\n", "\n"))));
}
