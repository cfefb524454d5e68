#!/bin/bash
# RustFS's environment mapped onto S3Proxy + nginx; exits when either exits, stops both on TERM/INT.
set -euo pipefail
address=${RUSTFS_ADDRESS:-0.0.0.0:9000}
data=${RUSTFS_VOLUMES:-/data/rustfs}
work=$(mktemp -d)
mkdir -p "$data" "$work"/{client_body,proxy,fastcgi,uwsgi,scgi}
cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:9100
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${RUSTFS_ACCESS_KEY:-rustfsadmin}
s3proxy.credential=${RUSTFS_SECRET_KEY:-rustfsadmin}
jclouds.provider=filesystem
jclouds.filesystem.basedir=$data
PROPS
sed -e "s|@WORK@|$work|g" -e "s|@PORT@|${address##*:}|" -e "s|@VERSION@|$S3PROXY_VERSION|" /opt/s3proxy/nginx.conf > "$work/nginx.conf"
echo "[stand-in for rustfs] S3Proxy $S3PROXY_VERSION on $data behind nginx on $address"
java -Xmx512m -jar /opt/s3proxy/s3proxy.jar --properties "$work/s3proxy.properties" &
s3proxy=$!
nginx -c "$work/nginx.conf" -p "$work" &
nginx=$!
trap 'kill -TERM "$s3proxy" "$nginx" 2>/dev/null; wait; exit 0' TERM INT
wait -n
status=$?
kill -TERM "$s3proxy" "$nginx" 2>/dev/null || true
exit "$status"
