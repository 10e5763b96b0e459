# A ceiling reference for the API benchmark; sourced, not run. No Crossbar-compatible server is
# packaged to run beside Bugle, so the peer row is nginx answering the same requests with the
# same bytes from memory/disk: what an HTTP server does with no work behind it, labelled as such.
# Needs $repo; uses bench_free_port (bench/lib/twin-netns.sh).

# static_http_start DIR: nginx (one worker, as Bugle's API has one event loop) on 127.0.0.1 at
# a free port, serving DIR/www; answers PUT on /put with the contents of DIR/put.json (201).
# Prints the port. Stop it with static_http_stop DIR.
static_http_start() {
  local dir=$1 port
  port=$(bench_free_port)
  mkdir -p "$dir/www" "$dir/nginx-tmp"
  cat > "$dir/nginx.conf" <<NGINX
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-tmp;
  default_type application/json;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location = /put { return 201 '$(tr -d "'\n" < "$dir/put.json")'; }
  }
}
NGINX
  nginx -p "$dir" -c "$dir/nginx.conf" >/dev/null 2>&1 || { cat "$dir/nginx-error.log" >&2; return 1; }
  wait_tcp 127.0.0.1 "$port" 10 || return 1
  echo "$port"
}

static_http_stop() {
  [ -f "$1/nginx.conf" ] && nginx -p "$1" -c "$1/nginx.conf" -s quit >/dev/null 2>&1
  return 0
}
