#pragma once

#include "model/resources/resource.h"
#include "model/yaml_tree.h"

namespace istio_lint::model::decode {

/// Decodes one resource mapping (a document root or a `kind: List` item) of a known kind into its
/// typed struct (or a GenericResource). Field problems are collected in schema_issues.
ResourcePtr decodeResource(Kind kind, std::string api_version, const yaml::Node& root,
                           const yaml::DocumentPtr& doc, uint32_t file);

// Per-kind spec decoders, one file each. `res` already has kind, meta and span filled in.
class Reader;
ResourcePtr decodeVirtualService(Reader& r, const yaml::Node& spec);
ResourcePtr decodeGateway(Reader& r, const yaml::Node& spec);
ResourcePtr decodeDestinationRule(Reader& r, const yaml::Node& spec);
ResourcePtr decodeServiceEntry(Reader& r, const yaml::Node& spec);
ResourcePtr decodeSidecar(Reader& r, const yaml::Node& spec);
ResourcePtr decodeService(Reader& r, const yaml::Node& root);
ResourcePtr decodeWorkload(Reader& r, Kind kind, const yaml::Node& root);
ResourcePtr decodeSecret(Reader& r, const yaml::Node& root);
ResourcePtr decodeConfigMap(Reader& r, const yaml::Node& root);
/// A MeshNetworks document (the root is the MeshNetworks message itself).
ResourcePtr decodeMeshNetworks(Reader& r, const yaml::Node& root);
ResourcePtr decodeIstioOperator(Reader& r, const yaml::Node& spec, const yaml::DocumentPtr& doc);

}  // namespace istio_lint::model::decode
