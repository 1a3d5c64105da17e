package attr_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

func ExampleItem_UnmarshalJSON() {
	var it attr.Item
	err := json.Unmarshal([]byte(`{"pk":{"S":"user#1"},"score":{"N":"01.50"},"tags":{"SS":["a","b"]}}`), &it)
	fmt.Println(it["pk"], it["score"], it["tags"], err)
	fmt.Println(attr.ItemSize(it))
	// Output:
	// S:"user#1" N:1.5 SS:["a", "b"] <nil>
	// 22
}

func ExampleValue_UnmarshalJSON_validation() {
	var v attr.Value
	err := v.UnmarshalJSON([]byte(`{"SS":["a","a"]}`))
	var ve *attr.Error
	if errors.As(err, &ve) {
		fmt.Println(ve.ValidationMessage())
	}
	// Output:
	// One or more parameter values were invalid: Input collection [a, a] contains duplicates.
}

func ExampleAddNumbers() {
	sum, err := attr.AddNumbers("0.1", "0.2")
	fmt.Println(sum, err)
	_, err = attr.AddNumbers("1e50", "1")
	fmt.Println(err)
	// Output:
	// 0.3 <nil>
	// attr: Number overflow. Attempting to store a number with magnitude larger than supported range
}
