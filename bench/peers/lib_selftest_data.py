"""Writes a tiny data set in the bench generator's layout for bench/peers/selftest.sh (not a runner).

    /usr/bin/python3 lib_selftest_data.py OUT_DIR

OUT_DIR gets zones/<zone>.zone, zones.txt, domains.csv, spf-pairs.csv, messages/NNNNN.eml, messages.txt, truth.csv
and expected-spf.csv / messages-truth.csv (the outcome each pair or message should have). Keys are made with openssl
(RSA-2048, RSA-1024) and PyNaCl (ed25519), messages are signed with dkimpy.
"""
import base64
import os
import subprocess
import sys

import dkim

out = sys.argv[1]
os.makedirs(os.path.join(out, 'zones'), exist_ok=True)
os.makedirs(os.path.join(out, 'messages'), exist_ok=True)
keys = os.path.join(out, 'keys')
os.makedirs(keys, exist_ok=True)


def rsa_key(name, bits):
    path = os.path.join(keys, name + '.pem')
    subprocess.run(['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:%d' % bits, '-out', path],
                   check=True, capture_output=True)
    der = subprocess.run(['openssl', 'pkey', '-in', path, '-pubout', '-outform', 'DER'], check=True,
                         capture_output=True).stdout
    with open(path, 'rb') as f:
        return f.read(), 'v=DKIM1; k=rsa; p=' + base64.b64encode(der).decode()


def ed_key():
    import nacl.signing
    sk = nacl.signing.SigningKey.generate()
    return base64.b64encode(bytes(sk)), 'v=DKIM1; k=ed25519; p=' + base64.b64encode(bytes(sk.verify_key)).decode()


def txt(value):
    # split into 255-byte strings
    parts = [value[i:i + 250] for i in range(0, len(value), 250)]
    return ' '.join('"%s"' % p for p in parts)


def soa(zone):
    return ('$ORIGIN %s.\n$TTL 300\n@ IN SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 60\n@ IN NS ns1.%s.\n'
            'ns1 IN A 127.0.0.1\n' % (zone, zone, zone, zone))


zones = {}
k2048, p2048 = rsa_key('a', 2048)
k1024, p1024 = rsa_key('b', 1024)
ked, ped = ed_key()
kprov, pprov = rsa_key('prov', 2048)

zones['provider.test'] = soa('provider.test') + (
    '_spf IN TXT "v=spf1 ip4:198.51.100.0/24 include:_spf2.provider.test -all"\n'
    '_spf2 IN TXT "v=spf1 ip4:203.0.113.0/25 ~all"\n'
    'loop1 IN TXT "v=spf1 include:loop2.provider.test -all"\n'
    'loop2 IN TXT "v=spf1 include:loop1.provider.test -all"\n')
for i in range(12):
    zones['provider.test'] += 'n%d IN TXT "v=spf1 a:h%d.provider.test -all"\n' % (i, i)

zones['alpha.test'] = soa('alpha.test') + (
    '@ IN MX 10 mx.alpha.test.\nmx IN A 192.0.2.10\n'
    '@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test -all"\n'
    '_dmarc IN TXT "v=DMARC1; p=reject"\n'
    's1._domainkey IN TXT %s\n' % txt(p2048))
zones['bravo.test'] = soa('bravo.test') + (
    '@ IN MX 10 mail.bravo.test.\nmail IN A 192.0.2.77\n'
    '@ IN TXT "v=spf1 mx a:mail.bravo.test ~all"\n'
    '_dmarc IN TXT "v=DMARC1; p=none"\n'
    's1._domainkey IN TXT %s\n'
    's2._domainkey IN TXT %s\n'
    'pk._domainkey IN CNAME pk-bravo._domainkey.esp.bravo.test.\n'
    'pk-bravo._domainkey.esp IN TXT %s\n' % (txt(p1024), txt(ped), txt(pprov)))
zones['charlie.test'] = soa('charlie.test') + '@ IN MX 0 .\n'
zones['delta.test'] = soa('delta.test') + (
    '@ IN MX 10 mx.alpha.test.\n'
    '@ IN TXT "v=spf1 %s -all"\n' % ' '.join('include:n%d.provider.test' % i for i in range(12)))
zones['echo.test'] = soa('echo.test') + (
    '@ IN MX 10 mx.alpha.test.\n@ IN TXT "v=spf1 ip4:192.0.2.300 -all"\n')
zones['foxtrot.test'] = soa('foxtrot.test') + (
    '@ IN MX 10 mx.alpha.test.\n@ IN TXT "v=spf1 include:loop1.provider.test -all"\n')

with open(os.path.join(out, 'zones.txt'), 'w') as f:
    for z, text in zones.items():
        with open(os.path.join(out, 'zones', z + '.zone'), 'w') as zf:
            zf.write(text)
        f.write('%s %s.zone\n' % (z, z))

with open(os.path.join(out, 'domains.csv'), 'w') as f:
    f.write('Domain,Selector,SendingIP\n')
    f.write('alpha.test,s1,192.0.2.10\nbravo.test,s1;s2,192.0.2.77\ncharlie.test,,\n')
    f.write('delta.test,,198.51.100.1\necho.test,,192.0.2.1\nfoxtrot.test,,192.0.2.1\n')
with open(os.path.join(out, 'truth.csv'), 'w') as f:
    f.write('Domain,Kind\nalpha.test,ok\nbravo.test,ok\ncharlie.test,null-mx\ndelta.test,spf-over-limit\n'
            'echo.test,spf-syntax\nfoxtrot.test,spf-loop\n')

pairs = [('192.0.2.5', 'alpha.test', 'pass'), ('198.51.100.9', 'alpha.test', 'pass'),
         ('203.0.113.5', 'alpha.test', 'pass'), ('203.0.113.200', 'alpha.test', 'fail'),
         ('192.0.2.77', 'bravo.test', 'pass'), ('192.0.2.78', 'bravo.test', 'softfail'),
         ('2001:db8::1', 'bravo.test', 'softfail'), ('192.0.2.1', 'charlie.test', 'none'),
         ('198.51.100.1', 'delta.test', 'permerror'), ('192.0.2.1', 'echo.test', 'permerror'),
         ('192.0.2.1', 'foxtrot.test', 'permerror'), ('192.0.2.1', 'nx.alpha.test', 'none')]
with open(os.path.join(out, 'spf-pairs.csv'), 'w') as f, open(os.path.join(out, 'expected-spf.csv'), 'w') as e:
    f.write('IP,Domain,Sender\n')
    e.write('IP,Domain,Expected\n')
    for ip, d, want in pairs:
        f.write('%s,%s,postmaster@%s\n' % (ip, d, d))
        e.write('%s,%s,%s\n' % (ip, d, want))

body = b'Hello,\r\n\r\nThis is a test message for the peer benchmark.\r\n-- \r\nbench\r\n'
signers = [('bravo.test', b's1+s2', None, 'two', 'pass'), ('alpha.test', b's1', k2048, None, 'pass'), ('bravo.test', b's1', k1024, None, 'pass'),
           ('bravo.test', b's2', ked, 'ed25519', 'pass'), ('bravo.test', b'pk', kprov, None, 'pass'),
           ('alpha.test', b's1', k2048, 'tamper', 'fail'), ('alpha.test', b'nokey', k2048, None, 'fail')]
with open(os.path.join(out, 'messages.txt'), 'w') as lst, open(os.path.join(out, 'messages-truth.csv'), 'w') as e:
    e.write('File,Domain,Selectors,Keys,Expected\n')
    for n, (domain, sel, key, how, want) in enumerate(signers, 1):
        msg = (b'From: Sender <sender@' + domain.encode() + b'>\r\nTo: rcpt@example.net\r\nSubject: bench ' +
               str(n).encode() + b'\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <' + str(n).encode() +
               b'@' + domain.encode() + b'>\r\n\r\n' + body)
        signed = msg
        for sel1, key1, alg in ([(b's1', k1024, b'rsa-sha256'), (b's2', ked, b'ed25519-sha256')] if how == 'two' else
                                [(sel, key, b'ed25519-sha256' if how == 'ed25519' else b'rsa-sha256')]):
            signed = dkim.sign(signed, sel1, domain.encode(), key1, include_headers=[b'from', b'to', b'subject', b'date'],
                               signature_algorithm=alg, canonicalize=(b'relaxed', b'relaxed')) + signed
        if how == 'tamper':
            signed = signed.replace(b'test message', b'tset message')
        name = '%05d.eml' % n
        with open(os.path.join(out, 'messages', name), 'wb') as f:
            f.write(signed)
        lst.write('messages/%s\n' % name)
        e.write('messages/%s,%s,,,%s\n' % (name, domain, want))
print(out)
