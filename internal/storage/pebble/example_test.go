package pebble_test

import (
	"context"
	"fmt"
	"os"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "fogbank-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	engine, err := pebble.Open(dir, pebble.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer engine.Close()

	ctx := context.Background()
	err = engine.Update(ctx, func(tx storage.Tx) error {
		return tx.Set([]byte("greeting"), []byte("hello"))
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = engine.View(ctx, func(tx storage.ReadTx) error {
		v, err := tx.Get([]byte("greeting"))
		fmt.Printf("%s\n", v)
		return err
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output: hello
}
