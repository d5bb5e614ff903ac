#!/bin/sh
# Makes a self-signed certificate for libraryh3lp.com and *.libraryh3lp.com (plus
# localhost / 127.0.0.1) in the given folder, for the loopback server (tests/e2e/server.mjs).
# Idempotent: an existing, still valid pair is kept.
#
#   tests/e2e/certs.sh DIR        -> DIR/cert.pem, DIR/key.pem (prints both paths)
set -eu

dir=${1:?usage: certs.sh DIR}
mkdir -p "$dir"
cert="$dir/cert.pem"
key="$dir/key.pem"

if [ -s "$cert" ] && [ -s "$key" ] \
  && openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1 \
  && openssl x509 -in "$cert" -noout -text 2>/dev/null | grep -q 'DNS:\*\.libraryh3lp\.com'; then
  echo "$cert"
  echo "$key"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
  -subj "/CN=libraryh3lp.com" \
  -addext "subjectAltName=DNS:libraryh3lp.com,DNS:*.libraryh3lp.com,DNS:localhost,IP:127.0.0.1" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "extendedKeyUsage=serverAuth" >/dev/null 2>&1
chmod 600 "$tmp/key.pem"
mv "$tmp/key.pem" "$key"
mv "$tmp/cert.pem" "$cert"
echo "$cert"
echo "$key"
