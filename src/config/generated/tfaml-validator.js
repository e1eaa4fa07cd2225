// Generated from schema/tfaml.schema.json by scripts/gen-validator.mjs. Do not edit.
// @ts-nocheck
/* eslint-disable */
"use strict";
import func3__m from "ajv/dist/runtime/ucs2length.js";
const func3 = func3__m.default ?? func3__m;
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://github.com/tfaml/tfaml/schema/tfaml.schema.json","title":"tfaml.yml, version 1","description":"The project file of tfaml: owners, the Azure ML YAML it governs, the hub model pin, training, gates, registries and cost.","type":"object","additionalProperties":false,"required":["version","project"],"properties":{"version":{"const":1,"description":"The version of this file's format; only 1 exists."},"project":{"type":"string","minLength":1,"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","description":"The project's name."},"owners":{"type":"array","items":{"$ref":"#/definitions/owner"},"description":"GitHub users or teams that own everything here (owner/missing when empty)."},"workspace":{"$ref":"#/definitions/workspace"},"environments":{"type":"array","items":{"$ref":"#/definitions/asset"},"description":"Azure ML CLI v2 environment YAML files."},"data":{"type":"array","items":{"$ref":"#/definitions/dataAsset"},"description":"Azure ML CLI v2 data asset YAML files."},"compute":{"type":"array","items":{"$ref":"#/definitions/plainAsset"},"description":"Azure ML CLI v2 compute YAML files (amlcompute)."},"jobs":{"type":"array","items":{"$ref":"#/definitions/asset"},"description":"Azure ML CLI v2 command or sweep job YAML files."},"endpoints":{"type":"array","items":{"$ref":"#/definitions/plainAsset"},"description":"Azure ML CLI v2 managed online deployment YAML files."},"model":{"type":"object","additionalProperties":false,"required":["name","hub","format","input-shape"],"properties":{"name":{"type":"string","pattern":"^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$","description":"The model's name in both registries."},"hub":{"type":"string","minLength":1,"description":"A tfhub.dev handle, a Kaggle Models URL, an https URL of a model.json, or a local folder."},"format":{"enum":["graph","layers"]},"input-shape":{"type":"array","items":{"type":"integer","minimum":1},"minItems":3,"maxItems":3},"feature-layer":{"type":"string","minLength":1,"description":"Layers format only: the layer where the frozen base is cut."},"fine-tune":{"type":"string","pattern":"^(none|top-[1-9][0-9]*)$","description":"none (frozen feature extraction) or top-<N> (unfreeze the last N layers)."},"loading":{"enum":["baked","dynamic"],"description":"Where the served model's files come from: baked into the environment's image (its build context copies them in), or dynamic (downloaded from the pinned hub handle when the service starts, checked against tfaml.lock)."},"serving":{"enum":["batch","realtime","none"],"description":"How the model is served: realtime (a managed online endpoint, gated on latency), batch (batch jobs, no always-on endpoint) or none."}}},"train":{"type":"object","additionalProperties":false,"properties":{"target":{"enum":["local","azure"]},"job":{"type":"string","minLength":1},"data":{"type":"string","minLength":1},"epochs":{"type":"integer","minimum":1},"batch-size":{"type":"integer","minimum":1},"learning-rate":{"type":"number","exclusiveMinimum":0},"validation-split":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},"seed":{"type":"integer"},"expected-hours":{"type":"number","exclusiveMinimum":0}}},"gates":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["metric"],"minProperties":2,"properties":{"metric":{"type":"string","minLength":1},"min":{"type":"number"},"max":{"type":"number"},"max-drop":{"type":"number","minimum":0},"max-drop-pct":{"type":"number","minimum":0}}}},"registries":{"type":"object","additionalProperties":false,"properties":{"experiment":{"enum":["local","workspace"]},"production":{"type":"object","additionalProperties":false,"minProperties":1,"maxProperties":1,"properties":{"local":{"const":true},"registry":{"type":"string","minLength":1},"workspace":{"$ref":"#/definitions/workspace"}}}}},"promote":{"type":"object","additionalProperties":false,"properties":{"branch":{"type":"string","minLength":1}}},"cost":{"type":"object","additionalProperties":false,"required":["region"],"properties":{"region":{"type":"string","pattern":"^[a-z0-9]+$","description":"Azure region name as armRegionName spells it, e.g. eastus."},"budget-usd":{"type":"number","minimum":0},"max-increase-usd":{"type":"number","minimum":0},"override-label":{"type":"string","minLength":1},"currency":{"type":"string","pattern":"^[A-Z]{3}$"}}},"suppress":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["rule","reason"],"properties":{"rule":{"type":"string","minLength":1},"path":{"type":"string","minLength":1},"reason":{"type":"string","minLength":3,"description":"Why this finding is accepted; shown in every report."}}}},"policy":{"type":"object","additionalProperties":false,"description":"Limits validate enforces (an extension of v1; every key is optional).","properties":{"max-idle-seconds":{"type":"integer","minimum":0,"description":"compute/not-ephemeral: longest idle_time_before_scale_down allowed (default 1800)."}}}},"definitions":{"owner":{"type":"string","pattern":"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$","description":"A GitHub user (@login) or team (@org/team)."},"stage":{"enum":["production","experimental"]},"workspace":{"type":"object","additionalProperties":false,"required":["resource-group","name"],"properties":{"subscription-id":{"type":"string","pattern":"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},"resource-group":{"type":"string","pattern":"^[-\\w._()]{1,90}$"},"name":{"type":"string","minLength":1}}},"asset":{"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"type":"string","minLength":1},"stage":{"$ref":"#/definitions/stage"},"owner":{"$ref":"#/definitions/owner"}}},"dataAsset":{"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"type":"string","minLength":1},"local":{"type":"string","minLength":1},"stage":{"$ref":"#/definitions/stage"},"owner":{"$ref":"#/definitions/owner"}}},"plainAsset":{"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"type":"string","minLength":1},"owner":{"$ref":"#/definitions/owner"}}}}};
const schema12 = {"type":"string","pattern":"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$","description":"A GitHub user (@login) or team (@org/team)."};
const schema13 = {"type":"object","additionalProperties":false,"required":["resource-group","name"],"properties":{"subscription-id":{"type":"string","pattern":"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},"resource-group":{"type":"string","pattern":"^[-\\w._()]{1,90}$"},"name":{"type":"string","minLength":1}}};
const func2 = Object.prototype.hasOwnProperty;

const pattern0 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$", "u");
const pattern1 = new RegExp("^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$", "u");
const pattern2 = new RegExp("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", "u");
const pattern3 = new RegExp("^[-\\w._()]{1,90}$", "u");
const pattern7 = new RegExp("^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$", "u");
const pattern8 = new RegExp("^(none|top-[1-9][0-9]*)$", "u");
const pattern11 = new RegExp("^[a-z0-9]+$", "u");
const pattern12 = new RegExp("^[A-Z]{3}$", "u");
const schema14 = {"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"type":"string","minLength":1},"stage":{"$ref":"#/definitions/stage"},"owner":{"$ref":"#/definitions/owner"}}};
const schema15 = {"enum":["production","experimental"]};

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema14.required,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(((key0 === "path") || (key0 === "stage")) || (key0 === "owner"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 === "string"){
if(func3(data0) < 1){
const err2 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.properties.path,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.properties.path.type,parentSchema:schema14.properties.path,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.stage !== undefined){
let data1 = data.stage;
if(!((data1 === "production") || (data1 === "experimental"))){
const err4 = {instancePath:instancePath+"/stage",schemaPath:"#/definitions/stage/enum",keyword:"enum",params:{allowedValues: schema15.enum},message:"must be equal to one of the allowed values",schema:schema15.enum,parentSchema:schema15,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.owner !== undefined){
let data2 = data.owner;
if(typeof data2 === "string"){
if(!pattern1.test(data2)){
const err5 = {instancePath:instancePath+"/owner",schemaPath:"#/definitions/owner/pattern",keyword:"pattern",params:{pattern: "^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"},message:"must match pattern \""+"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"+"\"",schema:"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$",parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/owner",schemaPath:"#/definitions/owner/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
else {
const err7 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema14.type,parentSchema:schema14,data};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}

const schema17 = {"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"type":"string","minLength":1},"local":{"type":"string","minLength":1},"stage":{"$ref":"#/definitions/stage"},"owner":{"$ref":"#/definitions/owner"}}};

function validate13(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema17.required,parentSchema:schema17,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "path") || (key0 === "local")) || (key0 === "stage")) || (key0 === "owner"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema17,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 === "string"){
if(func3(data0) < 1){
const err2 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema17.properties.path,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.path.type,parentSchema:schema17.properties.path,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.local !== undefined){
let data1 = data.local;
if(typeof data1 === "string"){
if(func3(data1) < 1){
const err4 = {instancePath:instancePath+"/local",schemaPath:"#/properties/local/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema17.properties.local,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/local",schemaPath:"#/properties/local/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.local.type,parentSchema:schema17.properties.local,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.stage !== undefined){
let data2 = data.stage;
if(!((data2 === "production") || (data2 === "experimental"))){
const err6 = {instancePath:instancePath+"/stage",schemaPath:"#/definitions/stage/enum",keyword:"enum",params:{allowedValues: schema15.enum},message:"must be equal to one of the allowed values",schema:schema15.enum,parentSchema:schema15,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.owner !== undefined){
let data3 = data.owner;
if(typeof data3 === "string"){
if(!pattern1.test(data3)){
const err7 = {instancePath:instancePath+"/owner",schemaPath:"#/definitions/owner/pattern",keyword:"pattern",params:{pattern: "^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"},message:"must match pattern \""+"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"+"\"",schema:"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$",parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/owner",schemaPath:"#/definitions/owner/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.type,parentSchema:schema17,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
validate13.errors = vErrors;
return errors === 0;
}

const schema20 = {"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"type":"string","minLength":1},"owner":{"$ref":"#/definitions/owner"}}};

function validate15(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema20.required,parentSchema:schema20,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "path") || (key0 === "owner"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema20,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 === "string"){
if(func3(data0) < 1){
const err2 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema20.properties.path,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema20.properties.path.type,parentSchema:schema20.properties.path,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.owner !== undefined){
let data1 = data.owner;
if(typeof data1 === "string"){
if(!pattern1.test(data1)){
const err4 = {instancePath:instancePath+"/owner",schemaPath:"#/definitions/owner/pattern",keyword:"pattern",params:{pattern: "^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"},message:"must match pattern \""+"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"+"\"",schema:"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$",parentSchema:schema12,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/owner",schemaPath:"#/definitions/owner/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema20.type,parentSchema:schema20,data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
validate15.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://github.com/tfaml/tfaml/schema/tfaml.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.version === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.project === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "project"},message:"must have required property '"+"project"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.version !== undefined){
let data0 = data.version;
if(1 !== data0){
const err3 = {instancePath:instancePath+"/version",schemaPath:"#/properties/version/const",keyword:"const",params:{allowedValue: 1},message:"must be equal to constant",schema:1,parentSchema:schema11.properties.version,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.project !== undefined){
let data1 = data.project;
if(typeof data1 === "string"){
if(func3(data1) < 1){
const err4 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.project,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(!pattern0.test(data1)){
const err5 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]*$",parentSchema:schema11.properties.project,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.project.type,parentSchema:schema11.properties.project,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.owners !== undefined){
let data2 = data.owners;
if(Array.isArray(data2)){
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
let data3 = data2[i0];
if(typeof data3 === "string"){
if(!pattern1.test(data3)){
const err7 = {instancePath:instancePath+"/owners/" + i0,schemaPath:"#/definitions/owner/pattern",keyword:"pattern",params:{pattern: "^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"},message:"must match pattern \""+"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$"+"\"",schema:"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$",parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/owners/" + i0,schemaPath:"#/definitions/owner/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath:instancePath+"/owners",schemaPath:"#/properties/owners/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.owners.type,parentSchema:schema11.properties.owners,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.workspace !== undefined){
let data4 = data.workspace;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4["resource-group"] === undefined){
const err10 = {instancePath:instancePath+"/workspace",schemaPath:"#/definitions/workspace/required",keyword:"required",params:{missingProperty: "resource-group"},message:"must have required property '"+"resource-group"+"'",schema:schema13.required,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data4.name === undefined){
const err11 = {instancePath:instancePath+"/workspace",schemaPath:"#/definitions/workspace/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema13.required,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
for(const key1 in data4){
if(!(((key1 === "subscription-id") || (key1 === "resource-group")) || (key1 === "name"))){
const err12 = {instancePath:instancePath+"/workspace",schemaPath:"#/definitions/workspace/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data4["subscription-id"] !== undefined){
let data5 = data4["subscription-id"];
if(typeof data5 === "string"){
if(!pattern2.test(data5)){
const err13 = {instancePath:instancePath+"/workspace/subscription-id",schemaPath:"#/definitions/workspace/properties/subscription-id/pattern",keyword:"pattern",params:{pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},message:"must match pattern \""+"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"+"\"",schema:"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",parentSchema:schema13.properties["subscription-id"],data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/workspace/subscription-id",schemaPath:"#/definitions/workspace/properties/subscription-id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.properties["subscription-id"].type,parentSchema:schema13.properties["subscription-id"],data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data4["resource-group"] !== undefined){
let data6 = data4["resource-group"];
if(typeof data6 === "string"){
if(!pattern3.test(data6)){
const err15 = {instancePath:instancePath+"/workspace/resource-group",schemaPath:"#/definitions/workspace/properties/resource-group/pattern",keyword:"pattern",params:{pattern: "^[-\\w._()]{1,90}$"},message:"must match pattern \""+"^[-\\w._()]{1,90}$"+"\"",schema:"^[-\\w._()]{1,90}$",parentSchema:schema13.properties["resource-group"],data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/workspace/resource-group",schemaPath:"#/definitions/workspace/properties/resource-group/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.properties["resource-group"].type,parentSchema:schema13.properties["resource-group"],data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data4.name !== undefined){
let data7 = data4.name;
if(typeof data7 === "string"){
if(func3(data7) < 1){
const err17 = {instancePath:instancePath+"/workspace/name",schemaPath:"#/definitions/workspace/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13.properties.name,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/workspace/name",schemaPath:"#/definitions/workspace/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.properties.name.type,parentSchema:schema13.properties.name,data:data7};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/workspace",schemaPath:"#/definitions/workspace/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema13.type,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.environments !== undefined){
let data8 = data.environments;
if(Array.isArray(data8)){
const len1 = data8.length;
for(let i1=0; i1<len1; i1++){
if(!(validate11(data8[i1], {instancePath:instancePath+"/environments/" + i1,parentData:data8,parentDataProperty:i1,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err20 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.environments.type,parentSchema:schema11.properties.environments,data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.data !== undefined){
let data10 = data.data;
if(Array.isArray(data10)){
const len2 = data10.length;
for(let i2=0; i2<len2; i2++){
if(!(validate13(data10[i2], {instancePath:instancePath+"/data/" + i2,parentData:data10,parentDataProperty:i2,rootData}))){
vErrors = vErrors === null ? validate13.errors : vErrors.concat(validate13.errors);
errors = vErrors.length;
}
}
}
else {
const err21 = {instancePath:instancePath+"/data",schemaPath:"#/properties/data/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.data.type,parentSchema:schema11.properties.data,data:data10};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.compute !== undefined){
let data12 = data.compute;
if(Array.isArray(data12)){
const len3 = data12.length;
for(let i3=0; i3<len3; i3++){
if(!(validate15(data12[i3], {instancePath:instancePath+"/compute/" + i3,parentData:data12,parentDataProperty:i3,rootData}))){
vErrors = vErrors === null ? validate15.errors : vErrors.concat(validate15.errors);
errors = vErrors.length;
}
}
}
else {
const err22 = {instancePath:instancePath+"/compute",schemaPath:"#/properties/compute/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.compute.type,parentSchema:schema11.properties.compute,data:data12};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.jobs !== undefined){
let data14 = data.jobs;
if(Array.isArray(data14)){
const len4 = data14.length;
for(let i4=0; i4<len4; i4++){
if(!(validate11(data14[i4], {instancePath:instancePath+"/jobs/" + i4,parentData:data14,parentDataProperty:i4,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err23 = {instancePath:instancePath+"/jobs",schemaPath:"#/properties/jobs/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.jobs.type,parentSchema:schema11.properties.jobs,data:data14};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.endpoints !== undefined){
let data16 = data.endpoints;
if(Array.isArray(data16)){
const len5 = data16.length;
for(let i5=0; i5<len5; i5++){
if(!(validate15(data16[i5], {instancePath:instancePath+"/endpoints/" + i5,parentData:data16,parentDataProperty:i5,rootData}))){
vErrors = vErrors === null ? validate15.errors : vErrors.concat(validate15.errors);
errors = vErrors.length;
}
}
}
else {
const err24 = {instancePath:instancePath+"/endpoints",schemaPath:"#/properties/endpoints/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.endpoints.type,parentSchema:schema11.properties.endpoints,data:data16};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.model !== undefined){
let data18 = data.model;
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
if(data18.name === undefined){
const err25 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema11.properties.model.required,parentSchema:schema11.properties.model,data:data18};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(data18.hub === undefined){
const err26 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/required",keyword:"required",params:{missingProperty: "hub"},message:"must have required property '"+"hub"+"'",schema:schema11.properties.model.required,parentSchema:schema11.properties.model,data:data18};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data18.format === undefined){
const err27 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/required",keyword:"required",params:{missingProperty: "format"},message:"must have required property '"+"format"+"'",schema:schema11.properties.model.required,parentSchema:schema11.properties.model,data:data18};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(data18["input-shape"] === undefined){
const err28 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/required",keyword:"required",params:{missingProperty: "input-shape"},message:"must have required property '"+"input-shape"+"'",schema:schema11.properties.model.required,parentSchema:schema11.properties.model,data:data18};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
for(const key2 in data18){
if(!((((((((key2 === "name") || (key2 === "hub")) || (key2 === "format")) || (key2 === "input-shape")) || (key2 === "feature-layer")) || (key2 === "fine-tune")) || (key2 === "loading")) || (key2 === "serving"))){
const err29 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.model,data:data18};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data18.name !== undefined){
let data19 = data18.name;
if(typeof data19 === "string"){
if(!pattern7.test(data19)){
const err30 = {instancePath:instancePath+"/model/name",schemaPath:"#/properties/model/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$"},message:"must match pattern \""+"^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$"+"\"",schema:"^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$",parentSchema:schema11.properties.model.properties.name,data:data19};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/model/name",schemaPath:"#/properties/model/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.model.properties.name.type,parentSchema:schema11.properties.model.properties.name,data:data19};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data18.hub !== undefined){
let data20 = data18.hub;
if(typeof data20 === "string"){
if(func3(data20) < 1){
const err32 = {instancePath:instancePath+"/model/hub",schemaPath:"#/properties/model/properties/hub/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.model.properties.hub,data:data20};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
else {
const err33 = {instancePath:instancePath+"/model/hub",schemaPath:"#/properties/model/properties/hub/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.model.properties.hub.type,parentSchema:schema11.properties.model.properties.hub,data:data20};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data18.format !== undefined){
let data21 = data18.format;
if(!((data21 === "graph") || (data21 === "layers"))){
const err34 = {instancePath:instancePath+"/model/format",schemaPath:"#/properties/model/properties/format/enum",keyword:"enum",params:{allowedValues: schema11.properties.model.properties.format.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.model.properties.format.enum,parentSchema:schema11.properties.model.properties.format,data:data21};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data18["input-shape"] !== undefined){
let data22 = data18["input-shape"];
if(Array.isArray(data22)){
if(data22.length > 3){
const err35 = {instancePath:instancePath+"/model/input-shape",schemaPath:"#/properties/model/properties/input-shape/maxItems",keyword:"maxItems",params:{limit: 3},message:"must NOT have more than 3 items",schema:3,parentSchema:schema11.properties.model.properties["input-shape"],data:data22};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
if(data22.length < 3){
const err36 = {instancePath:instancePath+"/model/input-shape",schemaPath:"#/properties/model/properties/input-shape/minItems",keyword:"minItems",params:{limit: 3},message:"must NOT have fewer than 3 items",schema:3,parentSchema:schema11.properties.model.properties["input-shape"],data:data22};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
const len6 = data22.length;
for(let i6=0; i6<len6; i6++){
let data23 = data22[i6];
if(!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))){
const err37 = {instancePath:instancePath+"/model/input-shape/" + i6,schemaPath:"#/properties/model/properties/input-shape/items/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.model.properties["input-shape"].items.type,parentSchema:schema11.properties.model.properties["input-shape"].items,data:data23};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if((typeof data23 == "number") && (isFinite(data23))){
if(data23 < 1 || isNaN(data23)){
const err38 = {instancePath:instancePath+"/model/input-shape/" + i6,schemaPath:"#/properties/model/properties/input-shape/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.model.properties["input-shape"].items,data:data23};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
}
else {
const err39 = {instancePath:instancePath+"/model/input-shape",schemaPath:"#/properties/model/properties/input-shape/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.model.properties["input-shape"].type,parentSchema:schema11.properties.model.properties["input-shape"],data:data22};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data18["feature-layer"] !== undefined){
let data24 = data18["feature-layer"];
if(typeof data24 === "string"){
if(func3(data24) < 1){
const err40 = {instancePath:instancePath+"/model/feature-layer",schemaPath:"#/properties/model/properties/feature-layer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.model.properties["feature-layer"],data:data24};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
else {
const err41 = {instancePath:instancePath+"/model/feature-layer",schemaPath:"#/properties/model/properties/feature-layer/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.model.properties["feature-layer"].type,parentSchema:schema11.properties.model.properties["feature-layer"],data:data24};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data18["fine-tune"] !== undefined){
let data25 = data18["fine-tune"];
if(typeof data25 === "string"){
if(!pattern8.test(data25)){
const err42 = {instancePath:instancePath+"/model/fine-tune",schemaPath:"#/properties/model/properties/fine-tune/pattern",keyword:"pattern",params:{pattern: "^(none|top-[1-9][0-9]*)$"},message:"must match pattern \""+"^(none|top-[1-9][0-9]*)$"+"\"",schema:"^(none|top-[1-9][0-9]*)$",parentSchema:schema11.properties.model.properties["fine-tune"],data:data25};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
else {
const err43 = {instancePath:instancePath+"/model/fine-tune",schemaPath:"#/properties/model/properties/fine-tune/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.model.properties["fine-tune"].type,parentSchema:schema11.properties.model.properties["fine-tune"],data:data25};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data18.loading !== undefined){
let data26 = data18.loading;
if(!((data26 === "baked") || (data26 === "dynamic"))){
const err44 = {instancePath:instancePath+"/model/loading",schemaPath:"#/properties/model/properties/loading/enum",keyword:"enum",params:{allowedValues: schema11.properties.model.properties.loading.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.model.properties.loading.enum,parentSchema:schema11.properties.model.properties.loading,data:data26};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data18.serving !== undefined){
let data27 = data18.serving;
if(!(((data27 === "batch") || (data27 === "realtime")) || (data27 === "none"))){
const err45 = {instancePath:instancePath+"/model/serving",schemaPath:"#/properties/model/properties/serving/enum",keyword:"enum",params:{allowedValues: schema11.properties.model.properties.serving.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.model.properties.serving.enum,parentSchema:schema11.properties.model.properties.serving,data:data27};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
}
else {
const err46 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.model.type,parentSchema:schema11.properties.model,data:data18};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data.train !== undefined){
let data28 = data.train;
if(data28 && typeof data28 == "object" && !Array.isArray(data28)){
for(const key3 in data28){
if(!(func2.call(schema11.properties.train.properties, key3))){
const err47 = {instancePath:instancePath+"/train",schemaPath:"#/properties/train/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.train,data:data28};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data28.target !== undefined){
let data29 = data28.target;
if(!((data29 === "local") || (data29 === "azure"))){
const err48 = {instancePath:instancePath+"/train/target",schemaPath:"#/properties/train/properties/target/enum",keyword:"enum",params:{allowedValues: schema11.properties.train.properties.target.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.train.properties.target.enum,parentSchema:schema11.properties.train.properties.target,data:data29};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data28.job !== undefined){
let data30 = data28.job;
if(typeof data30 === "string"){
if(func3(data30) < 1){
const err49 = {instancePath:instancePath+"/train/job",schemaPath:"#/properties/train/properties/job/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.train.properties.job,data:data30};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
else {
const err50 = {instancePath:instancePath+"/train/job",schemaPath:"#/properties/train/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.train.properties.job.type,parentSchema:schema11.properties.train.properties.job,data:data30};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data28.data !== undefined){
let data31 = data28.data;
if(typeof data31 === "string"){
if(func3(data31) < 1){
const err51 = {instancePath:instancePath+"/train/data",schemaPath:"#/properties/train/properties/data/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.train.properties.data,data:data31};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
else {
const err52 = {instancePath:instancePath+"/train/data",schemaPath:"#/properties/train/properties/data/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.train.properties.data.type,parentSchema:schema11.properties.train.properties.data,data:data31};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
if(data28.epochs !== undefined){
let data32 = data28.epochs;
if(!(((typeof data32 == "number") && (!(data32 % 1) && !isNaN(data32))) && (isFinite(data32)))){
const err53 = {instancePath:instancePath+"/train/epochs",schemaPath:"#/properties/train/properties/epochs/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.train.properties.epochs.type,parentSchema:schema11.properties.train.properties.epochs,data:data32};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
if((typeof data32 == "number") && (isFinite(data32))){
if(data32 < 1 || isNaN(data32)){
const err54 = {instancePath:instancePath+"/train/epochs",schemaPath:"#/properties/train/properties/epochs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.train.properties.epochs,data:data32};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
}
if(data28["batch-size"] !== undefined){
let data33 = data28["batch-size"];
if(!(((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33))) && (isFinite(data33)))){
const err55 = {instancePath:instancePath+"/train/batch-size",schemaPath:"#/properties/train/properties/batch-size/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.train.properties["batch-size"].type,parentSchema:schema11.properties.train.properties["batch-size"],data:data33};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
if((typeof data33 == "number") && (isFinite(data33))){
if(data33 < 1 || isNaN(data33)){
const err56 = {instancePath:instancePath+"/train/batch-size",schemaPath:"#/properties/train/properties/batch-size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.train.properties["batch-size"],data:data33};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
}
if(data28["learning-rate"] !== undefined){
let data34 = data28["learning-rate"];
if((typeof data34 == "number") && (isFinite(data34))){
if(data34 <= 0 || isNaN(data34)){
const err57 = {instancePath:instancePath+"/train/learning-rate",schemaPath:"#/properties/train/properties/learning-rate/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.train.properties["learning-rate"],data:data34};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
else {
const err58 = {instancePath:instancePath+"/train/learning-rate",schemaPath:"#/properties/train/properties/learning-rate/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.train.properties["learning-rate"].type,parentSchema:schema11.properties.train.properties["learning-rate"],data:data34};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data28["validation-split"] !== undefined){
let data35 = data28["validation-split"];
if((typeof data35 == "number") && (isFinite(data35))){
if(data35 >= 1 || isNaN(data35)){
const err59 = {instancePath:instancePath+"/train/validation-split",schemaPath:"#/properties/train/properties/validation-split/exclusiveMaximum",keyword:"exclusiveMaximum",params:{comparison: "<", limit: 1},message:"must be < 1",schema:1,parentSchema:schema11.properties.train.properties["validation-split"],data:data35};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
if(data35 <= 0 || isNaN(data35)){
const err60 = {instancePath:instancePath+"/train/validation-split",schemaPath:"#/properties/train/properties/validation-split/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.train.properties["validation-split"],data:data35};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
else {
const err61 = {instancePath:instancePath+"/train/validation-split",schemaPath:"#/properties/train/properties/validation-split/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.train.properties["validation-split"].type,parentSchema:schema11.properties.train.properties["validation-split"],data:data35};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data28.seed !== undefined){
let data36 = data28.seed;
if(!(((typeof data36 == "number") && (!(data36 % 1) && !isNaN(data36))) && (isFinite(data36)))){
const err62 = {instancePath:instancePath+"/train/seed",schemaPath:"#/properties/train/properties/seed/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.train.properties.seed.type,parentSchema:schema11.properties.train.properties.seed,data:data36};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
if(data28["expected-hours"] !== undefined){
let data37 = data28["expected-hours"];
if((typeof data37 == "number") && (isFinite(data37))){
if(data37 <= 0 || isNaN(data37)){
const err63 = {instancePath:instancePath+"/train/expected-hours",schemaPath:"#/properties/train/properties/expected-hours/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.train.properties["expected-hours"],data:data37};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
else {
const err64 = {instancePath:instancePath+"/train/expected-hours",schemaPath:"#/properties/train/properties/expected-hours/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.train.properties["expected-hours"].type,parentSchema:schema11.properties.train.properties["expected-hours"],data:data37};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
}
else {
const err65 = {instancePath:instancePath+"/train",schemaPath:"#/properties/train/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.train.type,parentSchema:schema11.properties.train,data:data28};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
if(data.gates !== undefined){
let data38 = data.gates;
if(Array.isArray(data38)){
const len7 = data38.length;
for(let i7=0; i7<len7; i7++){
let data39 = data38[i7];
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
if(Object.keys(data39).length < 2){
const err66 = {instancePath:instancePath+"/gates/" + i7,schemaPath:"#/properties/gates/items/minProperties",keyword:"minProperties",params:{limit: 2},message:"must NOT have fewer than 2 properties",schema:2,parentSchema:schema11.properties.gates.items,data:data39};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
if(data39.metric === undefined){
const err67 = {instancePath:instancePath+"/gates/" + i7,schemaPath:"#/properties/gates/items/required",keyword:"required",params:{missingProperty: "metric"},message:"must have required property '"+"metric"+"'",schema:schema11.properties.gates.items.required,parentSchema:schema11.properties.gates.items,data:data39};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
for(const key4 in data39){
if(!(((((key4 === "metric") || (key4 === "min")) || (key4 === "max")) || (key4 === "max-drop")) || (key4 === "max-drop-pct"))){
const err68 = {instancePath:instancePath+"/gates/" + i7,schemaPath:"#/properties/gates/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.gates.items,data:data39};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
if(data39.metric !== undefined){
let data40 = data39.metric;
if(typeof data40 === "string"){
if(func3(data40) < 1){
const err69 = {instancePath:instancePath+"/gates/" + i7+"/metric",schemaPath:"#/properties/gates/items/properties/metric/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.gates.items.properties.metric,data:data40};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
else {
const err70 = {instancePath:instancePath+"/gates/" + i7+"/metric",schemaPath:"#/properties/gates/items/properties/metric/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.gates.items.properties.metric.type,parentSchema:schema11.properties.gates.items.properties.metric,data:data40};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data39.min !== undefined){
let data41 = data39.min;
if(!((typeof data41 == "number") && (isFinite(data41)))){
const err71 = {instancePath:instancePath+"/gates/" + i7+"/min",schemaPath:"#/properties/gates/items/properties/min/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.gates.items.properties.min.type,parentSchema:schema11.properties.gates.items.properties.min,data:data41};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data39.max !== undefined){
let data42 = data39.max;
if(!((typeof data42 == "number") && (isFinite(data42)))){
const err72 = {instancePath:instancePath+"/gates/" + i7+"/max",schemaPath:"#/properties/gates/items/properties/max/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.gates.items.properties.max.type,parentSchema:schema11.properties.gates.items.properties.max,data:data42};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data39["max-drop"] !== undefined){
let data43 = data39["max-drop"];
if((typeof data43 == "number") && (isFinite(data43))){
if(data43 < 0 || isNaN(data43)){
const err73 = {instancePath:instancePath+"/gates/" + i7+"/max-drop",schemaPath:"#/properties/gates/items/properties/max-drop/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.gates.items.properties["max-drop"],data:data43};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
else {
const err74 = {instancePath:instancePath+"/gates/" + i7+"/max-drop",schemaPath:"#/properties/gates/items/properties/max-drop/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.gates.items.properties["max-drop"].type,parentSchema:schema11.properties.gates.items.properties["max-drop"],data:data43};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data39["max-drop-pct"] !== undefined){
let data44 = data39["max-drop-pct"];
if((typeof data44 == "number") && (isFinite(data44))){
if(data44 < 0 || isNaN(data44)){
const err75 = {instancePath:instancePath+"/gates/" + i7+"/max-drop-pct",schemaPath:"#/properties/gates/items/properties/max-drop-pct/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.gates.items.properties["max-drop-pct"],data:data44};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
else {
const err76 = {instancePath:instancePath+"/gates/" + i7+"/max-drop-pct",schemaPath:"#/properties/gates/items/properties/max-drop-pct/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.gates.items.properties["max-drop-pct"].type,parentSchema:schema11.properties.gates.items.properties["max-drop-pct"],data:data44};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
else {
const err77 = {instancePath:instancePath+"/gates/" + i7,schemaPath:"#/properties/gates/items/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.gates.items.type,parentSchema:schema11.properties.gates.items,data:data39};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
}
else {
const err78 = {instancePath:instancePath+"/gates",schemaPath:"#/properties/gates/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.gates.type,parentSchema:schema11.properties.gates,data:data38};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
if(data.registries !== undefined){
let data45 = data.registries;
if(data45 && typeof data45 == "object" && !Array.isArray(data45)){
for(const key5 in data45){
if(!((key5 === "experiment") || (key5 === "production"))){
const err79 = {instancePath:instancePath+"/registries",schemaPath:"#/properties/registries/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.registries,data:data45};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data45.experiment !== undefined){
let data46 = data45.experiment;
if(!((data46 === "local") || (data46 === "workspace"))){
const err80 = {instancePath:instancePath+"/registries/experiment",schemaPath:"#/properties/registries/properties/experiment/enum",keyword:"enum",params:{allowedValues: schema11.properties.registries.properties.experiment.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.registries.properties.experiment.enum,parentSchema:schema11.properties.registries.properties.experiment,data:data46};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
if(data45.production !== undefined){
let data47 = data45.production;
if(data47 && typeof data47 == "object" && !Array.isArray(data47)){
if(Object.keys(data47).length > 1){
const err81 = {instancePath:instancePath+"/registries/production",schemaPath:"#/properties/registries/properties/production/maxProperties",keyword:"maxProperties",params:{limit: 1},message:"must NOT have more than 1 properties",schema:1,parentSchema:schema11.properties.registries.properties.production,data:data47};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
if(Object.keys(data47).length < 1){
const err82 = {instancePath:instancePath+"/registries/production",schemaPath:"#/properties/registries/properties/production/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema11.properties.registries.properties.production,data:data47};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
for(const key6 in data47){
if(!(((key6 === "local") || (key6 === "registry")) || (key6 === "workspace"))){
const err83 = {instancePath:instancePath+"/registries/production",schemaPath:"#/properties/registries/properties/production/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.registries.properties.production,data:data47};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data47.local !== undefined){
let data48 = data47.local;
if(true !== data48){
const err84 = {instancePath:instancePath+"/registries/production/local",schemaPath:"#/properties/registries/properties/production/properties/local/const",keyword:"const",params:{allowedValue: true},message:"must be equal to constant",schema:true,parentSchema:schema11.properties.registries.properties.production.properties.local,data:data48};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data47.registry !== undefined){
let data49 = data47.registry;
if(typeof data49 === "string"){
if(func3(data49) < 1){
const err85 = {instancePath:instancePath+"/registries/production/registry",schemaPath:"#/properties/registries/properties/production/properties/registry/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.registries.properties.production.properties.registry,data:data49};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
else {
const err86 = {instancePath:instancePath+"/registries/production/registry",schemaPath:"#/properties/registries/properties/production/properties/registry/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.registries.properties.production.properties.registry.type,parentSchema:schema11.properties.registries.properties.production.properties.registry,data:data49};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
if(data47.workspace !== undefined){
let data50 = data47.workspace;
if(data50 && typeof data50 == "object" && !Array.isArray(data50)){
if(data50["resource-group"] === undefined){
const err87 = {instancePath:instancePath+"/registries/production/workspace",schemaPath:"#/definitions/workspace/required",keyword:"required",params:{missingProperty: "resource-group"},message:"must have required property '"+"resource-group"+"'",schema:schema13.required,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
if(data50.name === undefined){
const err88 = {instancePath:instancePath+"/registries/production/workspace",schemaPath:"#/definitions/workspace/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema13.required,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
for(const key7 in data50){
if(!(((key7 === "subscription-id") || (key7 === "resource-group")) || (key7 === "name"))){
const err89 = {instancePath:instancePath+"/registries/production/workspace",schemaPath:"#/definitions/workspace/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties",schema:false,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data50["subscription-id"] !== undefined){
let data51 = data50["subscription-id"];
if(typeof data51 === "string"){
if(!pattern2.test(data51)){
const err90 = {instancePath:instancePath+"/registries/production/workspace/subscription-id",schemaPath:"#/definitions/workspace/properties/subscription-id/pattern",keyword:"pattern",params:{pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},message:"must match pattern \""+"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"+"\"",schema:"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",parentSchema:schema13.properties["subscription-id"],data:data51};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
else {
const err91 = {instancePath:instancePath+"/registries/production/workspace/subscription-id",schemaPath:"#/definitions/workspace/properties/subscription-id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.properties["subscription-id"].type,parentSchema:schema13.properties["subscription-id"],data:data51};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
if(data50["resource-group"] !== undefined){
let data52 = data50["resource-group"];
if(typeof data52 === "string"){
if(!pattern3.test(data52)){
const err92 = {instancePath:instancePath+"/registries/production/workspace/resource-group",schemaPath:"#/definitions/workspace/properties/resource-group/pattern",keyword:"pattern",params:{pattern: "^[-\\w._()]{1,90}$"},message:"must match pattern \""+"^[-\\w._()]{1,90}$"+"\"",schema:"^[-\\w._()]{1,90}$",parentSchema:schema13.properties["resource-group"],data:data52};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
else {
const err93 = {instancePath:instancePath+"/registries/production/workspace/resource-group",schemaPath:"#/definitions/workspace/properties/resource-group/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.properties["resource-group"].type,parentSchema:schema13.properties["resource-group"],data:data52};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
if(data50.name !== undefined){
let data53 = data50.name;
if(typeof data53 === "string"){
if(func3(data53) < 1){
const err94 = {instancePath:instancePath+"/registries/production/workspace/name",schemaPath:"#/definitions/workspace/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13.properties.name,data:data53};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
else {
const err95 = {instancePath:instancePath+"/registries/production/workspace/name",schemaPath:"#/definitions/workspace/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.properties.name.type,parentSchema:schema13.properties.name,data:data53};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
}
else {
const err96 = {instancePath:instancePath+"/registries/production/workspace",schemaPath:"#/definitions/workspace/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema13.type,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
}
else {
const err97 = {instancePath:instancePath+"/registries/production",schemaPath:"#/properties/registries/properties/production/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.registries.properties.production.type,parentSchema:schema11.properties.registries.properties.production,data:data47};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
}
else {
const err98 = {instancePath:instancePath+"/registries",schemaPath:"#/properties/registries/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.registries.type,parentSchema:schema11.properties.registries,data:data45};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data.promote !== undefined){
let data54 = data.promote;
if(data54 && typeof data54 == "object" && !Array.isArray(data54)){
for(const key8 in data54){
if(!(key8 === "branch")){
const err99 = {instancePath:instancePath+"/promote",schemaPath:"#/properties/promote/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.promote,data:data54};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data54.branch !== undefined){
let data55 = data54.branch;
if(typeof data55 === "string"){
if(func3(data55) < 1){
const err100 = {instancePath:instancePath+"/promote/branch",schemaPath:"#/properties/promote/properties/branch/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.promote.properties.branch,data:data55};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
else {
const err101 = {instancePath:instancePath+"/promote/branch",schemaPath:"#/properties/promote/properties/branch/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.promote.properties.branch.type,parentSchema:schema11.properties.promote.properties.branch,data:data55};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
}
else {
const err102 = {instancePath:instancePath+"/promote",schemaPath:"#/properties/promote/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.promote.type,parentSchema:schema11.properties.promote,data:data54};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
if(data.cost !== undefined){
let data56 = data.cost;
if(data56 && typeof data56 == "object" && !Array.isArray(data56)){
if(data56.region === undefined){
const err103 = {instancePath:instancePath+"/cost",schemaPath:"#/properties/cost/required",keyword:"required",params:{missingProperty: "region"},message:"must have required property '"+"region"+"'",schema:schema11.properties.cost.required,parentSchema:schema11.properties.cost,data:data56};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
for(const key9 in data56){
if(!(((((key9 === "region") || (key9 === "budget-usd")) || (key9 === "max-increase-usd")) || (key9 === "override-label")) || (key9 === "currency"))){
const err104 = {instancePath:instancePath+"/cost",schemaPath:"#/properties/cost/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.cost,data:data56};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
if(data56.region !== undefined){
let data57 = data56.region;
if(typeof data57 === "string"){
if(!pattern11.test(data57)){
const err105 = {instancePath:instancePath+"/cost/region",schemaPath:"#/properties/cost/properties/region/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]+$"},message:"must match pattern \""+"^[a-z0-9]+$"+"\"",schema:"^[a-z0-9]+$",parentSchema:schema11.properties.cost.properties.region,data:data57};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
}
else {
const err106 = {instancePath:instancePath+"/cost/region",schemaPath:"#/properties/cost/properties/region/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.cost.properties.region.type,parentSchema:schema11.properties.cost.properties.region,data:data57};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
if(data56["budget-usd"] !== undefined){
let data58 = data56["budget-usd"];
if((typeof data58 == "number") && (isFinite(data58))){
if(data58 < 0 || isNaN(data58)){
const err107 = {instancePath:instancePath+"/cost/budget-usd",schemaPath:"#/properties/cost/properties/budget-usd/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.cost.properties["budget-usd"],data:data58};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
else {
const err108 = {instancePath:instancePath+"/cost/budget-usd",schemaPath:"#/properties/cost/properties/budget-usd/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.cost.properties["budget-usd"].type,parentSchema:schema11.properties.cost.properties["budget-usd"],data:data58};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
}
if(data56["max-increase-usd"] !== undefined){
let data59 = data56["max-increase-usd"];
if((typeof data59 == "number") && (isFinite(data59))){
if(data59 < 0 || isNaN(data59)){
const err109 = {instancePath:instancePath+"/cost/max-increase-usd",schemaPath:"#/properties/cost/properties/max-increase-usd/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.cost.properties["max-increase-usd"],data:data59};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
else {
const err110 = {instancePath:instancePath+"/cost/max-increase-usd",schemaPath:"#/properties/cost/properties/max-increase-usd/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.cost.properties["max-increase-usd"].type,parentSchema:schema11.properties.cost.properties["max-increase-usd"],data:data59};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
if(data56["override-label"] !== undefined){
let data60 = data56["override-label"];
if(typeof data60 === "string"){
if(func3(data60) < 1){
const err111 = {instancePath:instancePath+"/cost/override-label",schemaPath:"#/properties/cost/properties/override-label/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.cost.properties["override-label"],data:data60};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
else {
const err112 = {instancePath:instancePath+"/cost/override-label",schemaPath:"#/properties/cost/properties/override-label/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.cost.properties["override-label"].type,parentSchema:schema11.properties.cost.properties["override-label"],data:data60};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
}
if(data56.currency !== undefined){
let data61 = data56.currency;
if(typeof data61 === "string"){
if(!pattern12.test(data61)){
const err113 = {instancePath:instancePath+"/cost/currency",schemaPath:"#/properties/cost/properties/currency/pattern",keyword:"pattern",params:{pattern: "^[A-Z]{3}$"},message:"must match pattern \""+"^[A-Z]{3}$"+"\"",schema:"^[A-Z]{3}$",parentSchema:schema11.properties.cost.properties.currency,data:data61};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
else {
const err114 = {instancePath:instancePath+"/cost/currency",schemaPath:"#/properties/cost/properties/currency/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.cost.properties.currency.type,parentSchema:schema11.properties.cost.properties.currency,data:data61};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
}
else {
const err115 = {instancePath:instancePath+"/cost",schemaPath:"#/properties/cost/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.cost.type,parentSchema:schema11.properties.cost,data:data56};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
if(data.suppress !== undefined){
let data62 = data.suppress;
if(Array.isArray(data62)){
const len8 = data62.length;
for(let i8=0; i8<len8; i8++){
let data63 = data62[i8];
if(data63 && typeof data63 == "object" && !Array.isArray(data63)){
if(data63.rule === undefined){
const err116 = {instancePath:instancePath+"/suppress/" + i8,schemaPath:"#/properties/suppress/items/required",keyword:"required",params:{missingProperty: "rule"},message:"must have required property '"+"rule"+"'",schema:schema11.properties.suppress.items.required,parentSchema:schema11.properties.suppress.items,data:data63};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
if(data63.reason === undefined){
const err117 = {instancePath:instancePath+"/suppress/" + i8,schemaPath:"#/properties/suppress/items/required",keyword:"required",params:{missingProperty: "reason"},message:"must have required property '"+"reason"+"'",schema:schema11.properties.suppress.items.required,parentSchema:schema11.properties.suppress.items,data:data63};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
for(const key10 in data63){
if(!(((key10 === "rule") || (key10 === "path")) || (key10 === "reason"))){
const err118 = {instancePath:instancePath+"/suppress/" + i8,schemaPath:"#/properties/suppress/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.suppress.items,data:data63};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
}
if(data63.rule !== undefined){
let data64 = data63.rule;
if(typeof data64 === "string"){
if(func3(data64) < 1){
const err119 = {instancePath:instancePath+"/suppress/" + i8+"/rule",schemaPath:"#/properties/suppress/items/properties/rule/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.suppress.items.properties.rule,data:data64};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
}
else {
const err120 = {instancePath:instancePath+"/suppress/" + i8+"/rule",schemaPath:"#/properties/suppress/items/properties/rule/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.suppress.items.properties.rule.type,parentSchema:schema11.properties.suppress.items.properties.rule,data:data64};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
}
if(data63.path !== undefined){
let data65 = data63.path;
if(typeof data65 === "string"){
if(func3(data65) < 1){
const err121 = {instancePath:instancePath+"/suppress/" + i8+"/path",schemaPath:"#/properties/suppress/items/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.suppress.items.properties.path,data:data65};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
}
else {
const err122 = {instancePath:instancePath+"/suppress/" + i8+"/path",schemaPath:"#/properties/suppress/items/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.suppress.items.properties.path.type,parentSchema:schema11.properties.suppress.items.properties.path,data:data65};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
if(data63.reason !== undefined){
let data66 = data63.reason;
if(typeof data66 === "string"){
if(func3(data66) < 3){
const err123 = {instancePath:instancePath+"/suppress/" + i8+"/reason",schemaPath:"#/properties/suppress/items/properties/reason/minLength",keyword:"minLength",params:{limit: 3},message:"must NOT have fewer than 3 characters",schema:3,parentSchema:schema11.properties.suppress.items.properties.reason,data:data66};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
}
else {
const err124 = {instancePath:instancePath+"/suppress/" + i8+"/reason",schemaPath:"#/properties/suppress/items/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.suppress.items.properties.reason.type,parentSchema:schema11.properties.suppress.items.properties.reason,data:data66};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
}
else {
const err125 = {instancePath:instancePath+"/suppress/" + i8,schemaPath:"#/properties/suppress/items/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.suppress.items.type,parentSchema:schema11.properties.suppress.items,data:data63};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
}
}
else {
const err126 = {instancePath:instancePath+"/suppress",schemaPath:"#/properties/suppress/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.suppress.type,parentSchema:schema11.properties.suppress,data:data62};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
}
if(data.policy !== undefined){
let data67 = data.policy;
if(data67 && typeof data67 == "object" && !Array.isArray(data67)){
for(const key11 in data67){
if(!(key11 === "max-idle-seconds")){
const err127 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.policy,data:data67};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
}
if(data67["max-idle-seconds"] !== undefined){
let data68 = data67["max-idle-seconds"];
if(!(((typeof data68 == "number") && (!(data68 % 1) && !isNaN(data68))) && (isFinite(data68)))){
const err128 = {instancePath:instancePath+"/policy/max-idle-seconds",schemaPath:"#/properties/policy/properties/max-idle-seconds/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.policy.properties["max-idle-seconds"].type,parentSchema:schema11.properties.policy.properties["max-idle-seconds"],data:data68};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
if((typeof data68 == "number") && (isFinite(data68))){
if(data68 < 0 || isNaN(data68)){
const err129 = {instancePath:instancePath+"/policy/max-idle-seconds",schemaPath:"#/properties/policy/properties/max-idle-seconds/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.policy.properties["max-idle-seconds"],data:data68};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
}
}
}
else {
const err130 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.policy.type,parentSchema:schema11.properties.policy,data:data67};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
}
}
else {
const err131 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

