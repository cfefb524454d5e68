#!/bin/bash
# Runs nginx and regenerates /etc/nginx/conf.d/default.conf every 2 s (docker-gen watches events; polling is enough
# here), reloading nginx when it changed. Stops nginx on TERM/INT; exits when nginx exits.
set -uo pipefail
conf=/etc/nginx/conf.d/default.conf
generate.sh > "$conf" || { echo "[stand-in for nginx-proxy] cannot read containers from the Docker API" >&2; exit 1; }
nginx -g 'daemon off;' &
nginx=$!
trap 'kill -QUIT "$nginx" 2>/dev/null; wait "$nginx"; exit 0' TERM INT
echo "[stand-in for nginx-proxy] $(nginx -v 2>&1) serving: $(grep -o 'server_name [^_;]*;' "$conf" | tr -d ';' | tr '\n' ' ')"
while kill -0 "$nginx" 2>/dev/null; do
    sleep 2 & wait $!
    if generate.sh > "$conf.new" && ! cmp -s "$conf.new" "$conf"; then
        mv "$conf.new" "$conf"
        echo "[stand-in for nginx-proxy] configuration changed: $(grep -o 'server_name [^_;]*;' "$conf" | tr -d ';' | tr '\n' ' ')"
        nginx -t -q && nginx -s reload
    fi
done
wait "$nginx"
