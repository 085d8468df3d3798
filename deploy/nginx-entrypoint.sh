#!/bin/sh
# nginx container: a self-signed certificate when none is mounted at /etc/nginx/tls (HTTP/2 to
# browsers needs TLS; mount your own pass.crt and pass.key there), then nginx.
set -eu
tls=/etc/nginx/tls
if [ ! -s "$tls/pass.crt" ] || [ ! -s "$tls/pass.key" ]; then
  mkdir -p "$tls"
  echo "nginx-entrypoint: no certificate in $tls, making a self-signed one for ${PASS_HOSTNAME:-localhost}"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=${PASS_HOSTNAME:-localhost}" \
    -addext "subjectAltName=DNS:${PASS_HOSTNAME:-localhost}" -keyout "$tls/pass.key" -out "$tls/pass.crt" 2>/dev/null
fi
nginx -t -q
exec "$@"
