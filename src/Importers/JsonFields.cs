namespace GovernanceDashboard.Importers;

/// <summary>Typed access to one record's JSON fields that remembers the first wrong type instead of throwing;
/// error texts name the field and the expected type, never the value.</summary>
internal sealed class JsonFields(JsonElement element, string path = "", List<string>? errors = null)
{
    private readonly JsonElement _element = element;
    private readonly string _path = path;

    // Shared with nested objects so that a wrong type anywhere in the record rejects the record.
    private readonly List<string> _errors = errors ?? [];

    /// <summary>The first wrong-type complaint, or null.</summary>
    public string? Error => _errors.Count == 0 ? null : _errors[0];

    /// <summary>The nested object under name, or null when absent or null; a non-object is an error.</summary>
    public JsonFields? Object(string name, bool ignoreCase = false)
    {
        if (!TryGet(name, ignoreCase, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Object) return Fail<JsonFields>(name, "an object");
        return new JsonFields(value, _path + name + ".", _errors);
    }

    /// <summary>The value under name as an element, or null when absent or null.</summary>
    public JsonElement? Element(string name, bool ignoreCase = false) => TryGet(name, ignoreCase, out var value) ? value : null;

    /// <summary>A string, or null when absent or null; another JSON kind is an error. Empty stays empty.</summary>
    public string? String(string name, bool ignoreCase = false)
    {
        if (!TryGet(name, ignoreCase, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) return Fail<string>(name, "a string");
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            _errors.Add($"invalid UTF-8 in field \"{_path}{name}\"");
            return null;
        }
    }

    /// <summary>A string with surrounding whitespace removed; empty becomes null.</summary>
    public string? Text(string name, bool ignoreCase = false)
    {
        var value = String(name, ignoreCase)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A string, or a number or boolean given as its JSON text; objects and arrays are errors.</summary>
    public string? Scalar(string name, bool ignoreCase = false)
    {
        if (!TryGet(name, ignoreCase, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => String(name, ignoreCase),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => Fail<string>(name, "a string"),
        };
    }

    /// <summary>An integer, or null when absent or null; a non-integer is an error.</summary>
    public long? Long(string name, bool ignoreCase = false)
    {
        if (!TryGet(name, ignoreCase, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        // A whole number written as 12.0 is still a line number.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue)
        {
            return (long)d;
        }
        _errors.Add($"field \"{_path}{name}\" is not an integer");
        return null;
    }

    /// <summary>An integer that fits an int (line, column), or null; out of range is an error.</summary>
    public int? Int(string name, bool ignoreCase = false)
    {
        var value = Long(name, ignoreCase);
        if (value is null) return null;
        if (value is < int.MinValue or > int.MaxValue)
        {
            _errors.Add($"field \"{_path}{name}\" is out of range");
            return null;
        }
        return (int)value.Value;
    }

    /// <summary>A boolean, or null when absent or null; "true"/"false" strings are accepted, anything else is an error.</summary>
    public bool? Bool(string name, bool ignoreCase = false)
    {
        if (!TryGet(name, ignoreCase, out var value)) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String when bool.TryParse(String(name, ignoreCase), out var parsed): return parsed;
            default:
                _errors.Add($"field \"{_path}{name}\" is not a boolean");
                return null;
        }
    }

    /// <summary>The string-valued properties of an object (others skipped), or null when absent or null.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? StringMap(string name)
    {
        if (!TryGet(name, false, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Object) return Fail<IReadOnlyList<KeyValuePair<string, string>>>(name, "an object");
        var list = new List<KeyValuePair<string, string>>();
        foreach (var property in value.EnumerateObject())
        {
            try
            {
                var text = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
                if (text is not null) list.Add(new(property.Name, text));
            }
            catch (InvalidOperationException)
            {
                _errors.Add($"invalid UTF-8 in field \"{_path}{name}\"");
            }
        }
        return list;
    }

    /// <summary>A timestamp given as text (lenient, see <see cref="ScannerText.ParseTimestamp"/>) or as Unix seconds; unreadable → null, not an error.</summary>
    public DateTimeOffset? Timestamp(string name, bool ignoreCase = false)
    {
        if (!TryGet(name, ignoreCase, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)) return ScannerText.FromUnix(seconds);
        if (value.ValueKind != JsonValueKind.String) return Fail<DateTimeOffset?>(name, "a string");
        return ScannerText.ParseTimestamp(String(name, ignoreCase));
    }

    /// <summary>The first property whose value is an object (TruffleHog's SourceMetadata.Data.&lt;Source&gt;), or null.</summary>
    public (string Name, JsonFields Value)? FirstObjectProperty()
    {
        if (_element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in _element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object) return (property.Name, new JsonFields(property.Value, _path + property.Name + ".", _errors));
        }
        return null;
    }

    public bool Has(string name) => _element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(name, out _);

    private bool TryGet(string name, bool ignoreCase, out JsonElement value)
    {
        value = default;
        if (_element.ValueKind != JsonValueKind.Object) return false;
        if (_element.TryGetProperty(name, out value)) return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
        if (!ignoreCase) return false;
        foreach (var property in _element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
            }
        }
        return false;
    }

    private T? Fail<T>(string name, string expected)
    {
        _errors.Add($"field \"{_path}{name}\" is not {expected}");
        return default;
    }
}
