package config_test

import (
	"flag"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/config"
)

func TestLoadLimits(t *testing.T) {
	t.Parallel()
	type limits struct {
		MaxInFlight, MaxQueue int
		QueueTimeout          config.Duration
	}
	for _, tc := range []struct {
		name    string
		file    string
		env     map[string]string
		flags   []string
		want    limits
		wantErr bool
	}{
		{name: "defaults", want: limits{QueueTimeout: config.Duration(150 * time.Millisecond)}},
		{
			name: "file", file: `{"max_in_flight":8,"max_queue":16,"queue_timeout":"1s"}`,
			want: limits{8, 16, config.Duration(time.Second)},
		},
		{
			name: "env and flags", env: map[string]string{"FOGBANK_MAX_IN_FLIGHT": "4", "FOGBANK_MAX_QUEUE": "2"},
			flags: []string{"--max-queue", "9", "--queue-timeout", "20ms"},
			want:  limits{4, 9, config.Duration(20 * time.Millisecond)},
		},
		{name: "not a number", env: map[string]string{"FOGBANK_MAX_IN_FLIGHT": "lots"}, wantErr: true},
		{name: "negative", flags: []string{"--max-queue", "-1"}, wantErr: true},
		{name: "zero timeout", flags: []string{"--queue-timeout", "0s"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tc.file != "" {
				path = writeFile(t, tc.file)
			}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			config.AddFlags(fs)
			if err := fs.Parse(tc.flags); err != nil {
				t.Fatal(err)
			}
			c, err := config.Load(path, mapEnv(tc.env), fs)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Load err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			got := limits{c.MaxInFlight, c.MaxQueue, c.QueueTimeout}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("limits mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
