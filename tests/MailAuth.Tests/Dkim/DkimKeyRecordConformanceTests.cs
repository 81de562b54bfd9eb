using MailAuth.Dkim;
using Xunit;

namespace MailAuth.Tests.Dkim;

/// <summary>dkimpy's key files and the RFC example records, read from ../shared/conformance/dkim.</summary>
public class DkimKeyRecordConformanceTests
{
    [SkippableTheory]
    [InlineData("dkimpy/test.txt", DkimKeyType.Rsa, 1024)]
    [InlineData("dkimpy/test2.txt", DkimKeyType.Rsa, 1024)]
    [InlineData("dkimpy/eximtest.dns", DkimKeyType.Ed25519, 256)]
    [InlineData("dkimpy/ed25519test.dns", DkimKeyType.Ed25519, 256)]
    [InlineData("dkimpy/1024_testkey_wo_markers.pub.txt", DkimKeyType.Rsa, 1024)]
    [InlineData("dkimpy/1024_testkey_wo_markers.pub.rsa.txt", DkimKeyType.Rsa, 1024)]
    [InlineData("dkimpy/2048_testkey_wo_markers.pub.txt", DkimKeyType.Rsa, 2048)]
    [InlineData("dkimpy/2048_testkey_wo_markers.pub.rsa.txt", DkimKeyType.Rsa, 2048)]
    [InlineData("dkimpy/2048_testkey_PKCS8.key.pub.txt", DkimKeyType.Rsa, 2048)]
    public void ValidKeyFilesDecode(string file, DkimKeyType type, int bits)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = DkimKeyRecord.Parse(DkimConformanceData.Text(file));
        Assert.True(r.IsUsable, string.Join(" | ", r.Diagnostics));
        Assert.Equal(type, r.KeyType);
        Assert.Equal(bits, r.KeyBits);
    }

    [SkippableFact]
    public void PkcsOneAndSpkiFormsOfTheSameKeyAgree()
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        foreach (var size in new[] { "1024", "2048" })
        {
            var spki = DkimKeyRecord.Parse(DkimConformanceData.Text($"dkimpy/{size}_testkey_wo_markers.pub.txt"));
            var pkcs1 = DkimKeyRecord.Parse(DkimConformanceData.Text($"dkimpy/{size}_testkey_wo_markers.pub.rsa.txt"));
            Assert.Equal(DkimRsaKeyEncoding.SubjectPublicKeyInfo, spki.RsaKeyEncoding);
            Assert.Equal(DkimRsaKeyEncoding.Pkcs1, pkcs1.RsaKeyEncoding);
            Assert.Equal(spki.KeyParameter, pkcs1.KeyParameter);
        }
    }

    [SkippableTheory]
    [InlineData("dkimpy/badversion.txt", "DKIM.InvalidVersion")]
    [InlineData("dkimpy/badk.txt", "DKIM.UnknownKeyType")]
    [InlineData("dkimpy/test_bad.txt", "DKIM.MalformedKey")]
    [InlineData("dkimpy/test_tlsrpt.txt", "DKIM.ServiceNotEmail")]
    public void InvalidKeyFilesAreJudgedInvalid(string file, string id)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var r = DkimKeyRecord.Parse(DkimConformanceData.Text(file));
        Assert.False(r.IsUsable);
        Assert.Contains(r.Diagnostics, d => d.Id == id && d.IsError);
    }

    [SkippableTheory]
    [InlineData("rfc8463/dns.txt")]
    [InlineData("rfc6376/dns.txt")]
    public void RfcExampleRecordsDecode(string file)
    {
        Skip.If(DkimConformanceData.Root is null, TestPaths.ConformanceMissing);
        var lines = DkimConformanceData.DnsFile(file).ToList();
        Assert.NotEmpty(lines);
        foreach (var (name, value) in lines)
        {
            var r = DkimKeyRecord.Parse(value);
            Assert.True(r.IsUsable, name + ": " + string.Join(" | ", r.Diagnostics));
        }
    }
}
